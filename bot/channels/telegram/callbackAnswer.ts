/** Telegram refuses a longer answer to a button press, and the user then sees nothing at all. */
const CALLBACK_ANSWER_LIMIT = 200;

/**
 * A button press's answer as Telegram accepts it: at most 200 characters (counted as UTF-16 units, the stricter
 * reading), cut at a whole character and ending in "…" when it had to be cut. A text that needs more belongs in a
 * message in the chat.
 */
export function fitCallbackAnswer(text: string): string {
  if (text.length <= CALLBACK_ANSWER_LIMIT) return text;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > CALLBACK_ANSWER_LIMIT - 1) break;
    cut += char;
  }
  return `${cut}…`;
}
