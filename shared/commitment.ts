/** 个人承诺: the text of the seed guide, filled with the applicant's details. */

/** Bump whenever any wording changes, so a stored acceptance names the text it accepted. */
export const COMMITMENT_VERSION = '2026-01';

export const COMMITMENT_TITLE = '个人承诺';
export const COMMITMENT_INTRO = '办理该业务，请仔细阅读下列承诺条款，确认无误后方可提交。';

export type CommitmentChoice = 'accept' | 'decline';

export const commitmentChoices: readonly { readonly value: CommitmentChoice; readonly label: string }[] = [
  { value: 'accept', label: '本人作出上述承诺' },
  { value: 'decline', label: '本人不作出上述承诺' },
];

/** Clause templates without their numbers; `{employer}` is filled in by `renderCommitment`. */
export const commitmentClauses: readonly string[] = [
  '本人已审慎阅读、充分理解并同意接受注册监理工程师管理系统相关规则，对系统相关规则的修改、调整均予以接受。',
  '本人充分了解并清楚知晓不得出租、出借、出售、购买国家政务服务平台账户，妥善保管且依法依规使用本人账户，并承诺承担相应法律责任。',
  '本人同意以电子申报方式，申请监理工程师注册业务。',
  '本人已通过实名认证，认证及申请事项均为本人办理，提供的信息及材料均为真实。',
  '本人受聘于{employer}，该受聘单位符合有关主管部门规定的注册单位要求，该受聘单位为本人唯一受聘单位。',
  '本人已依法与受聘单位签订劳动合同或有其他能证明劳动关系的有效文件，由受聘单位按期缴纳社保（退休等情形除外），承诺对本人受聘情况真实性、合法性负责。',
  '本人已通过职业资格考试取得中华人民共和国监理工程师职业资格证书，在考试报名、笔试等各环节均不存在违法违规行为。',
  '本人在近三年内已按照有关规定，通过包括但不限于自学、面授培训、远程教育培训等形式完成了继续教育学习，达到本专业继续教育要求。',
  '本人不存在因刑事处罚尚未执行完毕或者因从事工程监理或者相关业务受到刑事处罚，自刑事处罚执行完毕之日起至申请注册之日止不满2年的情形。',
  '本人不存在受到行政处罚或撤销行政许可尚未执行完毕，及近2年内被吊销注册证书情形。',
  '本人承诺在申请监理工程师注册业务时，所填信息及提交材料均真实、合法、有效，并愿意配合对申请内容的调查、核查、核验，并未隐瞒任何有关监理工程师禁止行为的信息。',
  '本人自愿遵守相关法律法规及《注册监理工程师管理规定》《注册监理工程师注册管理工作规程》等规章文件，承诺经注册取得监理工程师注册证书后，依法依规从事执业活动。',
  '本人愿意承担不实承诺、未履行承诺、违反承诺、隐瞒有关情况、提供虚假材料或违法违规执业的全部法律责任，接受有关主管部门的各项惩戒措施。本人已知晓并同意，若出现上述行为，相关信息将被作为失信信息记录在有关公共信用信息服务平台，并依法依规向社会公示。',
  '本人具有完全民事行为能力，以上承诺均为本人真实意思表示。',
];

export interface CommitmentParty {
  name: string;
  idNumber: string;
  mobile: string;
  /** The employer's (受聘单位) name. */
  employer: string;
}

export interface RenderedCommitment {
  version: string;
  /** Intro, the personal paragraph, then the 14 numbered clauses ("1、…"). */
  paragraphs: string[];
}

export function renderCommitment({ name, idNumber, mobile, employer }: CommitmentParty): RenderedCommitment {
  const personal =
    `本人姓名：${name}，身份证号：${idNumber}，手机号：${mobile}，申请监理工程师注册业务。` +
    '本人已充分知悉相关法律法规及《注册监理工程师管理规定》《注册监理工程师注册管理工作规程》等规章文件的全部要求，现郑重承诺如下：';
  // A replacer function, so a "$" in an employer name is taken literally.
  const clauses = commitmentClauses.map(
    (clause, index) => `${index + 1}、${clause.replace('{employer}', () => employer)}`,
  );
  return { version: COMMITMENT_VERSION, paragraphs: [COMMITMENT_INTRO, personal, ...clauses] };
}

/** The canonical text (paragraphs joined by "\n", no trailing newline) whose hash the server keeps. */
export function commitmentPlainText(party: CommitmentParty): string {
  return renderCommitment(party).paragraphs.join('\n');
}
