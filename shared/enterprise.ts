/** One employer from the server's directory (registered and certified in 注册监理工程师管理系统). */
export interface Enterprise {
  uscc: string;
  name: string;
  legalRepresentative: string;
  province: string;
  city: string;
}
