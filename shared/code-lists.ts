/** Code lists shared by client and server: store the code, show the name. */

export interface CodeItem {
  readonly code: string;
  readonly name: string;
}

export type CodeList = readonly CodeItem[];

function fromPairs(pairs: string): CodeList {
  return pairs
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [code = '', name = ''] = pair.split(':');
      return Object.freeze({ code, name });
    });
}

/** 民族, GB/T 3304. */
export const ethnicities: CodeList = fromPairs(`
  01:汉族 02:蒙古族 03:回族 04:藏族 05:维吾尔族 06:苗族 07:彝族 08:壮族 09:布依族 10:朝鲜族
  11:满族 12:侗族 13:瑶族 14:白族 15:土家族 16:哈尼族 17:哈萨克族 18:傣族 19:黎族 20:傈僳族
  21:佤族 22:畲族 23:高山族 24:拉祜族 25:水族 26:东乡族 27:纳西族 28:景颇族 29:柯尔克孜族 30:土族
  31:达斡尔族 32:仫佬族 33:羌族 34:布朗族 35:撒拉族 36:毛南族 37:仡佬族 38:锡伯族 39:阿昌族 40:普米族
  41:塔吉克族 42:怒族 43:乌孜别克族 44:俄罗斯族 45:鄂温克族 46:德昂族 47:保安族 48:裕固族 49:京族
  50:塔塔尔族 51:独龙族 52:鄂伦春族 53:赫哲族 54:门巴族 55:珞巴族 56:基诺族 97:其他 98:外国血统中国籍人士
`);

/**
 * 学历: graduation codes of GB/T 4658 for the levels that matter here. The standard has no
 * "none"; the seed's sample offers 无, so it gets 99, outside the standard's range.
 */
export const educationLevels: CodeList = fromPairs(`
  11:博士研究生 14:硕士研究生 21:大学本科 31:大学专科 41:中等专科 90:其他 99:无
`);

/** 学位: the category codes of GB/T 6864 (博士 2xx, 硕士 3xx, 学士 4xx); 无 has no standard code. */
export const degrees: CodeList = fromPairs(`
  200:博士 300:硕士 400:学士 000:无
`);

/** 申请注册专业, default list; a deployment may supply its own through `createCodeLists`. */
export const defaultSpecialties: CodeList = fromPairs(`
  01:房屋建筑工程 02:冶炼工程 03:矿山工程 04:化工石油工程 05:水利水电工程 06:电力工程 07:农林工程
  08:铁路工程 09:公路工程 10:港口与航道工程 11:航天航空工程 12:通信工程 13:市政公用工程 14:机电安装工程
`);

export interface CodeLists {
  readonly ethnicities: CodeList;
  readonly educationLevels: CodeList;
  readonly degrees: CodeList;
  readonly specialties: CodeList;
}

export interface CodeListOverrides {
  specialties?: CodeList;
}

/** Throws (in Chinese, for the operator) when a supplied list cannot work in the form. */
function checkSpecialties(list: CodeList): void {
  // Two different specialties are required, so fewer than two would make the form unsubmittable.
  if (list.length < 2) throw new Error('专业列表至少需要2项');
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const { code, name } of list) {
    if (!/^[0-9A-Za-z]{1,16}$/.test(code)) throw new Error(`专业代码应为1至16位字母或数字：${code}`);
    if (name.trim() === '') throw new Error(`专业名称不能为空：${code}`);
    if (codes.has(code)) throw new Error(`专业代码重复：${code}`);
    if (names.has(name)) throw new Error(`专业名称重复：${name}`);
    codes.add(code);
    names.add(name);
  }
}

export function createCodeLists(overrides: CodeListOverrides = {}): CodeLists {
  const specialties = overrides.specialties ?? defaultSpecialties;
  checkSpecialties(specialties);
  return Object.freeze({
    ethnicities,
    educationLevels,
    degrees,
    specialties: Object.freeze(specialties.map((item) => Object.freeze({ code: item.code, name: item.name }))),
  });
}

export const codeLists: CodeLists = createCodeLists();

export function nameOf(list: CodeList, code: string): string | undefined {
  return list.find((item) => item.code === code)?.name;
}

export function codeOf(list: CodeList, name: string): string | undefined {
  return list.find((item) => item.name === name)?.code;
}

export function hasCode(list: CodeList, code: string): boolean {
  return list.some((item) => item.code === code);
}
