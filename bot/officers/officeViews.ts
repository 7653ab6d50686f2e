/**
 * How a ticket looks in an office chat: the card (HTML in the office's language), its action buttons, captions of
 * the files that follow it, and the short history `/tiket NTR-...` shows. Texts come from `officer.*` keys.
 */
import type { Locale } from '../../content/locales/index.ts';
import type { TextParams } from '../../flows/messages.ts';
import { recommendationTarget, type NonAsnGroup } from '../../flows/report/reportContext.ts';
import { escapeHtml, type Renderer } from '../i18n.ts';
import {
  deadlineStatusId,
  evidenceKindId,
  formatDateId,
  placeLine,
  type DossierEvidence,
  type TicketDossier,
} from '../forwarding/ticketDossier.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { OfficeKeyboard } from './officeMessenger.ts';
import { settableStatuses, statusKey } from './ticketStatus.ts';

/** Callback data prefix registered with the Telegram channel for officer buttons. */
export const CALLBACK_PREFIX = 'o';

/** Why a card is sent: a new ticket, one escalated from an office with no destination, a transfer, a reminder copy. */
export type CardReason = 'new' | 'escalated' | 'transfer' | 'reminder' | 'view';

/** Renders office texts. */
export class OfficeTexts {
  constructor(
    readonly renderer: Renderer,
    readonly locale: Locale,
    readonly recommendationBody: string,
  ) {}

  t(key: string, params?: TextParams): string {
    return this.renderer.text(params ? { key, params } : { key }, this.locale);
  }

  /** A status in words; "recommended" names whom Bawaslu sends the finding on this ticket's person to. */
  status(status: string, otherRules: NonAsnGroup | null = null): string {
    return this.t(statusKey(status), { body: recommendationTarget(otherRules, this.recommendationBody) });
  }

  date(date: Date | null): string {
    return formatDateId(date, this.locale);
  }
}

/** Description shown in the card; the PDF carries the full text. */
const CARD_DESCRIPTION_CHARS = 1_500;

/** The ticket card: everything an officer needs to decide, in one message. */
export function ticketCard(
  texts: OfficeTexts,
  dossier: TicketDossier,
  options: { reason: CardReason; fromOfficeCode?: string; hours?: number },
): string {
  const t = texts.t.bind(texts);
  const lines: string[] = [];
  const from = options.fromOfficeCode ? officeName(options.fromOfficeCode) : '';
  lines.push(t(`officer.card.title.${options.reason}`, { code: dossier.code, from, hours: options.hours ?? 0 }));
  lines.push('');
  lines.push(t('officer.card.kind', { kind: { key: `officer.kind.${dossier.kind}` } }));
  lines.push(t('officer.card.status', { status: texts.status(dossier.status, dossier.terlapor.otherRules), office: officeName(dossier.officeCode) }));
  lines.push(t('officer.card.category', { category: dossier.category ? dossier.category.label : dossier.categoryId }));
  const otherRules = dossier.terlapor.otherRules;
  if (otherRules) {
    // Not an ASN: the catalogue's basis and sanction (PP 94/2021) do not apply.
    lines.push(t('officer.card.legalBasis', { basis: { key: `officer.otherRules.${otherRules}.basis` } }));
    lines.push(t('officer.card.sanction', { sanction: { key: `officer.otherRules.${otherRules}.sanction` } }));
  } else if (dossier.category) {
    lines.push(t('officer.card.legalBasis', { basis: dossier.category.legalBasis }));
    lines.push(t('officer.card.sanction', { sanction: { key: `officer.sanction.${dossier.category.sanctionLevel}` } }));
    if (dossier.terlapor.pppk) lines.push(t('officer.card.pppkNote'));
  }
  lines.push('');
  const terlapor = dossier.terlapor;
  lines.push(t('officer.card.terlapor', { name: terlapor.name || { key: 'officer.card.unknownName' } }));
  const roles = [terlapor.position, terlapor.agency, terlapor.employment].filter(Boolean).join(' · ');
  if (roles) lines.push(t('officer.card.terlaporRole', { role: roles }));
  lines.push(
    t('officer.card.when', { event: texts.date(dossier.event.date), learned: texts.date(dossier.event.learnedDate) }),
  );
  if (dossier.event.deadline) {
    lines.push(t('officer.card.deadline', { deadline: texts.date(dossier.event.deadline), state: deadlineStatusId(dossier) }));
  }
  lines.push(t('officer.card.place', { place: placeLine(dossier) }));
  if (dossier.place.detail) lines.push(t('officer.card.placeDetail', { detail: dossier.place.detail }));
  if (dossier.place.location) {
    lines.push(
      t('officer.card.location', {
        lat: dossier.place.location.lat.toFixed(5),
        lon: dossier.place.location.lon.toFixed(5),
      }),
    );
  }
  lines.push('');
  const description =
    dossier.description.length > CARD_DESCRIPTION_CHARS
      ? `${dossier.description.slice(0, CARD_DESCRIPTION_CHARS)}…`
      : dossier.description;
  lines.push(t('officer.card.description', { text: description || '-' }));
  if (dossier.description.length > CARD_DESCRIPTION_CHARS) lines.push(t('officer.card.descriptionCut'));
  lines.push('');
  const files = dossier.evidence.filter((e) => e.sendPath).length;
  const missing = dossier.evidence.filter((e) => e.missing).length;
  lines.push(files > 0 ? t('officer.card.evidence', { count: files }) : t('officer.card.noEvidence'));
  if (missing > 0) lines.push(t('officer.card.missingFiles', { count: missing }));
  const withheld = dossier.evidence.filter((e) => e.withheld).length;
  // A tip's withheld files could name the tipster: the office is not invited to ask for them.
  if (withheld > 0) lines.push(t(dossier.reporter.kind === 'identity' ? 'officer.card.withheldFiles' : 'officer.card.withheldFilesTip', { count: withheld }));
  const links = [...dossier.evidence.flatMap((e) => (e.url ? [e.url] : [])), ...dossier.links];
  if (links.length > 0) lines.push(t('officer.card.links', { links: links.join('\n') }));
  lines.push('');
  if (dossier.reporter.kind === 'identity') {
    lines.push(
      t('officer.card.reporterFormal', {
        name: dossier.reporter.name,
        phone: dossier.reporter.phone || '-',
        address: dossier.reporter.address || '-',
        email: dossier.reporter.email ?? '-',
        pseudonym: dossier.reporter.pseudonym,
      }),
    );
  } else {
    lines.push(t('officer.card.reporterTip', { pseudonym: dossier.reporter.pseudonym }));
  }
  if (dossier.witnesses.length > 0) {
    lines.push(
      t('officer.card.witnesses', { list: dossier.witnesses.map((w) => `${w.name}${w.contact ? ` (${w.contact})` : ''}`).join('; ') }),
    );
  }
  lines.push('');
  lines.push(t('officer.card.footer', { code: dossier.code, received: texts.date(dossier.createdAt) }));
  return lines.join('\n');
}

/** Caption of one evidence file: position, kind, and the SHA-256 of the bytes sent (and of the original photo). */
export function evidenceCaption(texts: OfficeTexts, code: string, item: DossierEvidence, index: number, total: number): string {
  const lines = [
    texts.t('officer.file.caption', {
      index,
      total,
      code,
      kind: texts.locale === 'id' ? evidenceKindId(item.kind) : item.kind,
      sha: item.sentSha256 ?? '-',
    }),
  ];
  if (item.stripped && item.originalSha256) lines.push(texts.t('officer.file.stripped', { sha: item.originalSha256 }));
  return lines.join('\n');
}

/** The buttons under a ticket card: Terima (until acknowledged), Minta info, Ubah status, Alihkan, Catatan. */
export function ticketKeyboard(texts: OfficeTexts, ticket: { code: string; acknowledged: boolean }): OfficeKeyboard {
  const data = (action: string) => `${CALLBACK_PREFIX}:${action}:${ticket.code}`;
  const first = [
    ...(ticket.acknowledged ? [] : [{ text: texts.t('officer.button.ack'), data: data('ack') }]),
    { text: texts.t('officer.button.ask'), data: data('ask') },
  ];
  return [
    first,
    [
      { text: texts.t('officer.button.status'), data: data('st') },
      { text: texts.t('officer.button.transfer'), data: data('mv') },
    ],
    [{ text: texts.t('officer.button.note'), data: data('note') }],
  ];
}

/** The status choices (each asks for a reason next), and a way back to the main buttons. */
export function statusKeyboard(texts: OfficeTexts, code: string, otherRules: NonAsnGroup | null): OfficeKeyboard {
  const rows: OfficeKeyboard = Object.keys(settableStatuses).map((status) => [
    { text: texts.status(status, otherRules), data: `${CALLBACK_PREFIX}:st:${code}:${status}` },
  ]);
  rows.push([{ text: texts.t('officer.button.back'), data: `${CALLBACK_PREFIX}:back:${code}` }]);
  return rows;
}

/**
 * Offices to transfer to when a name matched several. Each button names the office the ticket was at when they were
 * offered (`fromOfficeCode`), so a choice pressed after another officer moved it does nothing.
 */
export function transferKeyboard(code: string, offices: string[], fromOfficeCode?: string): OfficeKeyboard {
  const from = fromOfficeCode ? `:${fromOfficeCode}` : '';
  return offices.map((office) => [{ text: officeName(office), data: `${CALLBACK_PREFIX}:mv:${code}:${office}${from}` }]);
}

/** A mention that makes a selective reply prompt appear for that user in a group. */
export function mentionHtml(userId: string, name: string | undefined): string {
  return `<a href="tg://user?id=${encodeURIComponent(userId)}">${escapeHtml(name?.trim() || 'Petugas')}</a>`;
}
