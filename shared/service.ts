/** Fixed facts of the service, shown on several screens. */
export const SERVICE_TITLE = '监理工程师执业资格认定（初始注册）';
export const SERVICE_ITEM_CODE = '11100000000013338W1000117040000';
export const SERVICE_FOOTER = '本服务由住房和城乡建设部提供';
