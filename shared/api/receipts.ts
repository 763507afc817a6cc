/** The signed receipt of a submission, and the public keys that check it (GET /api/receipts/public-key, …/public-keys). */
import * as v from 'valibot';

const hex64 = (description: string) => v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/), v.description(description));
const keyId = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/), v.description('签名密钥编号：公钥（32 字节）SHA-256 的前 16 位十六进制'));

export const signedReceiptSchema = v.pipe(
  v.object({
    receiptNumber: v.pipe(v.string(), v.description('受理回执编号')),
    submissionId: v.pipe(v.string(), v.description('申请 id')),
    submittedAt: v.pipe(v.string(), v.isoTimestamp(), v.description('提交时间')),
    bodySha256: hex64('所存申请内容的 SHA-256'),
    keyId,
    signature: v.pipe(
      v.string(),
      v.description('Ed25519 签名（base64url），签名内容为除 signature 外五个字段按键排序、无空白的 JSON（UTF-8）'),
    ),
  }),
  v.description('服务器签名的受理回执，可凭 GET /api/receipts/public-key 的公钥离线验证'),
);

export const receiptPublicKeySchema = v.pipe(
  v.object({
    keyId,
    algorithm: v.literal('Ed25519'),
    publicKey: v.pipe(v.string(), v.description('公钥原始 32 字节（base64url）')),
  }),
  v.description('验证回执签名的公钥'),
);

export const receiptPublicKeyListSchema = v.pipe(
  v.object({
    keys: v.array(
      v.object({
        ...receiptPublicKeySchema.entries,
        createdAt: v.pipe(v.string(), v.isoTimestamp(), v.description('密钥启用（或首次登记）时间')),
        active: v.pipe(v.boolean(), v.description('是否为当前签发回执所用的密钥')),
      }),
    ),
  }),
  v.description('服务器用过的全部回执验签公钥（按启用时间先后）：密钥更换后，旧回执仍可凭其编号找到公钥验证'),
);

export type SignedReceiptBody = v.InferOutput<typeof signedReceiptSchema>;
export type ReceiptPublicKey = v.InferOutput<typeof receiptPublicKeySchema>;
export type ReceiptPublicKeyList = v.InferOutput<typeof receiptPublicKeyListSchema>;
