/** The error body every endpoint answers with; the one declaration of it. */
import * as v from 'valibot';

/** One field-level problem; it names the field and never carries the rejected value. */
export const fieldIssueSchema = v.object({
  /** Dotted path such as `enterprise.uscc`; '' for the body as a whole. */
  field: v.pipe(v.string(), v.title('字段路径'), v.description('字段路径，如 enterprise.uscc；空串表示整份申请')),
  message: v.pipe(v.string(), v.title('中文提示')),
});

export const errorBodySchema = v.pipe(
  v.object({
    error: v.pipe(v.string(), v.description('可直接展示的中文提示')),
    issues: v.optional(v.array(fieldIssueSchema)),
  }),
  v.description('错误：error 为可直接展示的中文提示；issues 逐字段说明问题，从不回显提交的内容'),
);

export type FieldIssue = v.InferOutput<typeof fieldIssueSchema>;
export type ErrorBody = v.InferOutput<typeof errorBodySchema>;
