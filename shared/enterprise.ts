/** One employer from the server's directory (registered and certified in 注册监理工程师管理系统). */
export type { Enterprise } from './api/enterprises.ts';
