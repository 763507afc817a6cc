import { USCC_ALPHABET, usccCheckChar } from '../../shared/uscc.ts';
import type { Storage } from '../db/database.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';

/**
 * A made-up directory so that a fresh install can be tried end to end: names, people and codes are
 * invented (any likeness to a real enterprise is chance). A real deployment imports its own CSV.
 */

// [region code of the registration authority, province, city, name, legal representative]
type DemoRow = readonly [region: string, province: string, city: string, name: string, legalRepresentative: string];

const ROWS: readonly DemoRow[] = [
  ['110105', '北京市', '北京市', '北京京衡建设工程监理有限公司', '王立群'],
  ['110108', '北京市', '北京市', '北京华澜工程咨询有限公司', '李明远'],
  ['110102', '北京市', '北京市', '北京中岳工程管理有限公司', '赵文博'],
  ['110106', '北京市', '北京市', '北京丰和建设监理有限责任公司', '孙丽华'],
  ['310115', '上海市', '上海市', '上海浦瑞建设工程监理有限公司', '周建国'],
  ['310104', '上海市', '上海市', '上海申衡工程项目管理有限公司', '吴晓岚'],
  ['310105', '上海市', '上海市', '上海长宁恒信工程咨询有限公司', '郑海涛'],
  ['310112', '上海市', '上海市', '上海闵安建设咨询集团有限公司', '冯雪梅'],
  ['120104', '天津市', '天津市', '天津津南华建工程监理有限公司', '陈志刚'],
  ['120116', '天津市', '天津市', '天津滨城工程管理咨询有限公司', '褚卫东'],
  ['500103', '重庆市', '重庆市', '重庆渝建工程建设监理有限公司', '卫红英'],
  ['500112', '重庆市', '重庆市', '重庆山城工程咨询有限公司', '蒋德明'],
  ['370102', '山东省', '济南市', '济南泉城建设工程监理有限公司', '沈玉兰'],
  ['370102', '山东省', '济南市', '山东鲁信工程咨询有限公司', '韩振宇'],
  ['370202', '山东省', '青岛市', '青岛海岳工程管理有限公司', '杨春燕'],
  ['370602', '山东省', '烟台市', '烟台滨海建设监理有限公司', '朱国强'],
  ['370702', '山东省', '潍坊市', '潍坊鸢都工程项目管理有限公司', '秦淑芬'],
  ['440106', '广东省', '广州市', '广州穗诚建设工程监理有限公司', '尤志勇'],
  ['440106', '广东省', '广州市', '广东粤衡工程咨询有限公司', '许美玲'],
  ['440304', '广东省', '深圳市', '深圳鹏程工程管理有限公司', '何家豪'],
  ['440604', '广东省', '佛山市', '佛山禅信建设监理有限公司', '吕丽娟'],
  ['441900', '广东省', '东莞市', '东莞莞建工程咨询有限公司', '施文杰'],
  ['510107', '四川省', '成都市', '成都蓉安建设工程监理有限公司', '张德华'],
  ['510107', '四川省', '成都市', '四川川衡工程管理咨询有限公司', '孔令军'],
  ['510703', '四川省', '绵阳市', '绵阳涪城工程建设监理有限公司', '曹雅琴'],
  ['511502', '四川省', '宜宾市', '宜宾三江工程咨询有限公司', '严永福'],
  ['320106', '江苏省', '南京市', '南京金陵建设工程监理有限公司', '华玉珍'],
  ['320106', '江苏省', '南京市', '江苏苏建工程项目管理有限公司', '金国平'],
  ['320505', '江苏省', '苏州市', '苏州姑苏工程咨询有限公司', '魏晓东'],
  ['320214', '江苏省', '无锡市', '无锡锡城建设监理有限公司', '陶秀英'],
  ['330106', '浙江省', '杭州市', '杭州西湖建设工程监理有限公司', '姜宏伟'],
  ['330106', '浙江省', '杭州市', '浙江之江工程管理有限公司', '戚美华'],
  ['330212', '浙江省', '宁波市', '宁波甬信工程咨询有限公司', '谢建军'],
  ['330302', '浙江省', '温州市', '温州瓯越建设监理有限公司', '邹丽萍'],
  ['420106', '湖北省', '武汉市', '武汉江城建设工程监理有限公司', '喻志华'],
  ['420106', '湖北省', '武汉市', '湖北楚天工程咨询有限公司', '柏文静'],
  ['420502', '湖北省', '宜昌市', '宜昌峡江工程管理有限公司', '水振华'],
  ['420606', '湖北省', '襄阳市', '襄阳汉水建设监理有限公司', '窦永刚'],
  ['410105', '河南省', '郑州市', '郑州中原建设工程监理有限公司', '章红梅'],
  ['410105', '河南省', '郑州市', '河南豫建工程项目管理有限公司', '云海波'],
  ['410305', '河南省', '洛阳市', '洛阳河洛工程咨询有限公司', '苏建民'],
  ['430104', '湖南省', '长沙市', '长沙湘江建设工程监理有限公司', '潘晓燕'],
  ['430104', '湖南省', '长沙市', '湖南潇湘工程管理咨询有限公司', '葛志强'],
  ['430211', '湖南省', '株洲市', '株洲炎陵工程建设监理有限公司', '奚丽芳'],
  ['610113', '陕西省', '西安市', '西安长安建设工程监理有限公司', '范国华'],
  ['610113', '陕西省', '西安市', '陕西秦川工程咨询有限公司', '彭玉梅'],
  ['610302', '陕西省', '宝鸡市', '宝鸡陈仓工程管理有限公司', '郎永红'],
  ['350102', '福建省', '福州市', '福州榕城建设工程监理有限公司', '鲁德胜'],
  ['350102', '福建省', '福州市', '福建闽信工程项目管理有限公司', '韦秀兰'],
  ['350206', '福建省', '厦门市', '厦门鹭岛工程咨询有限公司', '昌建华'],
  ['340104', '安徽省', '合肥市', '合肥庐州建设工程监理有限公司', '马文涛'],
  ['340104', '安徽省', '合肥市', '安徽皖衡工程管理有限公司', '苗淑珍'],
  ['340202', '安徽省', '芜湖市', '芜湖江城工程建设监理有限公司', '凤志远'],
  ['130104', '河北省', '石家庄市', '石家庄燕赵建设工程监理有限公司', '花建英'],
  ['130104', '河北省', '石家庄市', '河北冀通工程咨询有限公司', '方卫国'],
  ['130602', '河北省', '保定市', '保定古城工程管理有限公司', '俞春梅'],
  ['210102', '辽宁省', '沈阳市', '沈阳盛京建设工程监理有限公司', '任宝山'],
  ['210204', '辽宁省', '大连市', '大连海湾工程咨询有限公司', '袁丽君'],
  ['220102', '吉林省', '长春市', '长春北国工程建设监理有限公司', '柳志成'],
  ['230103', '黑龙江省', '哈尔滨市', '哈尔滨冰城工程管理有限公司', '酆淑华'],
  ['360102', '江西省', '南昌市', '南昌洪都建设工程监理有限公司', '鲍建平'],
  ['450103', '广西壮族自治区', '南宁市', '南宁邕江工程咨询有限公司', '史秀梅'],
  ['530102', '云南省', '昆明市', '昆明春城建设监理有限公司', '唐振国'],
  ['520102', '贵州省', '贵阳市', '贵阳筑城工程项目管理有限公司', '费玉洁'],
];

const ORG_CODE_SPACE = 31 ** 7;
// Multiplying by a number prime to 31 permutes 0…31⁷−1, so every index gets its own code.
const ORG_CODE_STEP = 7919 * 104_729;

/** A 9-char organisation code in the style of codes issued since 2015: 'MA' and 7 chars. */
function organisationCode(index: number): string {
  let n = ((index + 1) * ORG_CODE_STEP) % ORG_CODE_SPACE;
  let tail = '';
  for (let k = 0; k < 7; k++) {
    tail = USCC_ALPHABET[n % 31] + tail;
    n = Math.floor(n / 31);
  }
  return `MA${tail}`;
}

/** '9' (registered by market regulation) + '1' (enterprise) + region + organisation code + check char. */
function demoUscc(region: string, index: number): string {
  const first17 = `91${region}${organisationCode(index)}`;
  return first17 + usccCheckChar(first17);
}

export const demoEnterprises: readonly Enterprise[] = ROWS.map(([region, province, city, name, legalRepresentative], i) => ({
  uscc: demoUscc(region, i),
  name,
  legalRepresentative,
  province,
  city,
}));

/**
 * Fills the directory with the demo enterprises when it holds none; returns how many were written.
 * Two instances starting at once may both write: the upsert by USCC makes that harmless.
 */
export async function seedDemoDirectoryIfEmpty(storage: Storage): Promise<number> {
  const any = await storage.db.selectFrom('enterprises').select('uscc').limit(1).executeTakeFirst();
  if (any) return 0;
  return upsertEnterprises(storage.db, demoEnterprises);
}
