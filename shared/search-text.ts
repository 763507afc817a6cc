/**
 * The form people type into a search box, reduced to one spelling: full-width ASCII (Ａ-Ｚ, ０-９,
 * punctuation such as （）) and the ideographic space become half-width, all white space goes, and
 * Latin letters are upper-cased. The server's stored names and queries, the device's cache of
 * suggestions and the match of a typed enterprise name all pass through it, so a phone keyboard in
 * full-width mode or a stray space still finds the enterprise, and keywords the server treats alike
 * share one cache entry.
 */
export function normaliseSearchText(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '') // \s covers U+3000, the full-width space
    .replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}
