/** Chinese names of the application's fields, keyed by dotted path, for messages and UI focus. */
export const applicationFieldLabels = {
  name: '姓名',
  sex: '性别',
  idType: '证件类型',
  idNumber: '证件号码',
  birthDate: '出生日期',
  mobile: '手机号码',
  ethnicity: '民族',
  education: '学历',
  degree: '学位',
  school: '毕业院校',
  major: '所学专业',
  graduationDate: '毕业时间',
  enterprise: '企业信息',
  'enterprise.name': '企业名称',
  'enterprise.uscc': '统一社会信用代码',
  'enterprise.legalRepresentative': '法定代表人',
  'enterprise.province': '工商注册省份',
  'enterprise.city': '工商注册市区',
  specialty1: '申请注册专业1',
  specialty2: '申请注册专业2',
  photo: '一寸免冠照片',
  signature: '签名',
  commitment: '个人承诺',
  'commitment.version': '承诺书版本',
  'commitment.choice': '承诺选择',
  'commitment.acceptedAt': '承诺时间',
} as const;

export type ApplicationField = keyof typeof applicationFieldLabels;

/** The application's top-level fields in the order the form shows them (the first problem gets the focus). */
export const APPLICATION_FIELDS = [
  'name',
  'sex',
  'idType',
  'idNumber',
  'birthDate',
  'mobile',
  'ethnicity',
  'education',
  'degree',
  'school',
  'major',
  'graduationDate',
  'enterprise',
  'specialty1',
  'specialty2',
  'photo',
  'signature',
  'commitment',
] as const;
export type ApplicationTopField = (typeof APPLICATION_FIELDS)[number];

/** The top-level field a dotted issue path belongs to (`enterprise.uscc` → `enterprise`). */
export function topField(path: string): ApplicationTopField | undefined {
  const key = path.split('.')[0] ?? '';
  return (APPLICATION_FIELDS as readonly string[]).includes(key) ? (key as ApplicationTopField) : undefined;
}

const PICKED = new Set<string>([
  'sex',
  'idType',
  'ethnicity',
  'education',
  'degree',
  'specialty1',
  'specialty2',
  'commitment.choice',
]);
const UPLOADED = new Set<string>(['photo', 'signature']);

export function fieldLabel(field: string): string {
  return (applicationFieldLabels as Record<string, string>)[field] ?? '申报信息';
}

/** Worded for how the field is filled in: typed, picked or uploaded. */
export function requiredMessage(field: string): string {
  if (field === 'enterprise') return '请填写企业信息：输入企业名称关键字，选中对应的企业';
  if (field === 'commitment') return '请查看承诺书并确认个人承诺';
  if (PICKED.has(field)) return `请选择${fieldLabel(field)}`;
  if (UPLOADED.has(field)) return `请上传${fieldLabel(field)}`;
  return `请填写${fieldLabel(field)}`;
}
