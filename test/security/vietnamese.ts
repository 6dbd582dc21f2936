// "A Vietnamese message": the text has at least one letter only Vietnamese uses (a vowel with
// a tone or a hook, or đ), so an English stack trace or "Bad Request" does not pass.
export const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i;

export function isVietnamese(text: string): boolean {
  return VIETNAMESE.test(text);
}
