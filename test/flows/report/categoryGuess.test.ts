import { describe, expect, it } from 'vitest';
import { guessCategories } from '../../../flows/report/categoryGuess.ts';

describe('guessCategories', () => {
  it.each([
    ['pak kades bagi2 amplop ke warga', ['money-politics']],
    ['Camat upload foto bareng calon di FB', ['social-media', 'photo-or-hand-sign']],
    ['dia pakai mobil dinas buat kampanye', ['state-facilities', 'attending-campaign']],
    ['kadis nyuruh bawahannya datang ke kampanye', ['mobilising-staff', 'attending-campaign']],
    ['dia jadi caleg tapi belum mundur dari PNS', ['candidacy-no-resign']],
    ['the village head handed out envelopes of cash', ['money-politics']],
    ['he was handing out rice to voters', ['money-politics']],
    ['the camat gave groceries to the villagers', ['money-politics']],
    ['he posted a photo with the candidate on Facebook', ['social-media', 'photo-or-hand-sign']],
  ] as const)('reads %j as pointing to %j', (text, expected) => {
    expect(guessCategories(text)).toEqual(expected);
  });

  it.each([
    'the head of department made his staff attend the candidate\'s rally',
    'the camat forced employees to join the campaign',
    'kadis mewajibkan stafnya hadir di kampanye paslon',
    'pegawainya dipaksa ikut konvoi',
  ])('offers mobilising staff beside attending the campaign for %j, where staff were made to go', (text) => {
    expect(guessCategories(text)).toEqual(expect.arrayContaining(['mobilising-staff', 'attending-campaign']));
  });

  it('matches the longer words a keyword starts, and counts a word once however many keywords it matches', () => {
    // "dukungannya" starts both "dukung" and "dukungan": one word, one point, so the two words about the KTP lead.
    expect(guessCategories('minta fotokopi KTP buat dukungannya')[0]).toBe('ktp-support-letter');
    expect(guessCategories('uploadnya sudah dihapus')).toEqual(['social-media']);
  });

  it('does not match a short keyword inside a longer word', () => {
    // "ig" and "fb" are whole words only: "tiga" and "fbi" are not social media.
    expect(guessCategories('tiga orang fbi')).toEqual([]);
  });

  it('names at most three categories', () => {
    expect(guessCategories('camat upload foto kampanye pakai mobil dinas dan bagi amplop', 3)).toHaveLength(3);
    expect(guessCategories('camat upload foto kampanye pakai mobil dinas dan bagi amplop', 1)).toEqual(['state-facilities']);
  });

  it('points nowhere for words that name no act', () => {
    for (const text of ['izin lapor kak', 'asdf', 'lainnya', '', '   ']) expect(guessCategories(text)).toEqual([]);
  });
});
