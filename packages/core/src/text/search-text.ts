/**
 * Folding text for search without diacritics: "Nguyễn Thị Đào" → "nguyen thi dao".
 * Vietnamese đ/Đ is a letter of its own, not a d with a combining mark, so NFD alone misses it.
 */

/**
 * @example foldForSearch('Nguyễn Văn Đức') // 'nguyen van duc'
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
