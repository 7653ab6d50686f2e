/** The evidence of a draft or a ticket as the reporter reads it, one numbered line per item. */
import type { EvidenceItem } from './reportContext.ts';

const mediaIcons: Record<string, string> = {
  photo: '📷',
  video: '🎥',
  document: '📄',
  voice: '🎤',
  audio: '🎵',
  animation: '🎞',
  other: '📎',
};

/** One line per evidence item: an icon, the file name or link, and the file's SHA-256 (shortened unless `full`). */
export function evidenceLines(evidence: readonly EvidenceItem[], options: { fullDigest: boolean }): string {
  return evidence
    .map((item, index) => {
      if (item.type === 'link') return `${index + 1}. 🔗 ${item.url}`;
      const { media } = item;
      const digest = options.fullDigest ? media.sha256 : `${media.sha256.slice(0, 12)}…`;
      const name = media.fileName ? `${media.fileName} ` : '';
      return `${index + 1}. ${mediaIcons[media.kind] ?? '📎'} ${name}(SHA-256 ${digest})`;
    })
    .join('\n');
}
