/**
 * A deployment that serves one provinsi (NETRA_SERVED_AREA) tells a citizen who names a place outside it where to
 * report instead, and asks for the place again, rather than filing a ticket no office of the deployment can take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { emptyReport } from '../../../flows/report/reportContext.ts';
import { helpFor } from '../../../flows/report/reportSteps.ts';
import { searchRegions } from '../../../flows/shared/regionSearch.ts';
import { createHarness, type Harness, type TurnOptions } from '../../support/chatHarness.ts';
import { confirm, tipToReview } from './reportJourney.ts';

describe('a deployment serving Kepulauan Bangka Belitung and Kabupaten Bogor', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { NETRA_SERVED_AREA: '19, 32.01' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A tip typed up to the question of where it happened. */
  async function toPlace(chat: string): Promise<TurnOptions> {
    const t: TurnOptions = { chat };
    await h.command('start', '', t);
    await h.command('lapor', '', t);
    for (const answer of ['1', 'setuju', 'tidak tahu', 'Kepala Dinas Pendidikan', 'Dinas Pendidikan', 'PNS', '1', '20/11/2026', 'hari ini']) {
      await h.say(answer, t);
    }
    return t;
  }

  it('explains a regency outside the area, names SigapLapor, and asks for the place again', async () => {
    const t = await toPlace('warga-padang');
    const outside = await h.say('kota padang', t);
    expect(outside.all).toContain('Netra ini menerima laporan untuk Provinsi Kepulauan Bangka Belitung, Kabupaten Bogor');
    expect(outside.all).toContain('Kota Padang, Sumatera Barat berada di luar wilayah itu');
    expect(outside.all).toContain('sigaplapor.bawaslu.go.id');
    expect(outside.messages.some((m) => m.type === 'text' && m.prompt)).toBe(true);
    // A whole province outside the area, and a district of a regency outside it, are explained the same way.
    expect((await h.say('jawa timur', t)).all).toContain('dan Provinsi Jawa Timur berada di luar wilayah itu');
    expect((await h.say('coblong', t)).all).toContain('Kota Bandung, Jawa Barat berada di luar wilayah itu');
    // A served regency of an otherwise unserved province is taken.
    const bogor = await h.say('kabupaten bogor', t);
    expect(bogor.all).toContain('Kabupaten Bogor, Jawa Barat');
    expect(bogor.all).not.toContain('di luar wilayah');
  });

  it('asks about place details naming a served regency, and not about one outside the area', async () => {
    const t = await toPlace('warga-detail');
    await h.say('bangka barat', t);
    expect((await h.say('Alun-alun Kota Bandung', t)).messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''))).toContain(
      'report.description.ask',
    );
    await h.say('kembali', t);
    const asked = await h.say('Kantor Kecamatan Koba', t);
    expect(asked.all).toContain('Keterangan tempat menyebut Kecamatan Koba, Kabupaten Bangka Tengah');
  });

  it('asks for the place with examples inside the area, in its question and in its help', async () => {
    const t = await toPlace('warga-contoh');
    const help = await h.command('bantuan', '', t);
    // "Bangka" alone would offer four regencies: the example is the first name that finds its regency at once.
    expect(help.all).toContain('di Provinsi Kepulauan Bangka Belitung, Kabupaten Bogor, misalnya Bangka Selatan, atau nama kecamatan seperti Toboali');
    expect(help.all).not.toContain('Padang');
    const english: TurnOptions = { chat: 'resident-example' };
    await h.command('start', '', english);
    await h.command('language', 'en', english);
    await h.command('report', '', english);
    let asked = await h.say('1', english);
    for (const answer of ['agree', 'unknown', 'Head of the education office', 'Education office', 'PNS', '1', '20/11/2026', 'today']) {
      asked = await h.say(answer, english);
    }
    expect(asked.all).toContain('This service takes reports from the province of Kepulauan Bangka Belitung, Kabupaten Bogor.');
    expect(asked.all).toContain('for example Bangka Selatan.');
    expect(asked.all).not.toContain('Padang');
  });

  it('gives examples that find their place at once, whatever the area', async () => {
    for (const area of ['31', '32', '19', '11', '32.01', '91']) {
      const reply = helpFor('askingRegion', { ...emptyReport('2026-12-01T00:00:00.000Z'), policy: { draftDays: 7, retentionDays: 365, servedArea: [area] } });
      const params = reply.type === 'text' && 'params' in reply.text ? reply.text.params : undefined;
      const regency = String(params?.regency);
      const district = String(params?.district);
      const found = searchRegions(regency);
      expect(found.kind, `${area}: ${regency}`).toBe('exact');
      expect(found.kind === 'exact' && found.regency.code.startsWith(area.slice(0, 2))).toBe(true);
      expect(searchRegions(district).kind, `${area}: ${district}`).toBe('district');
    }
  });

  it('offers only the served places when a name matches several', async () => {
    const t = await toPlace('warga-bogor');
    // "Bogor" is a kabupaten (served) and a kota (not served): only the served one is offered.
    const bogor = await h.say('bogor', t);
    expect(bogor.choices).toEqual(['Kabupaten Bogor, Jawa Barat', 'Bukan salah satunya']);
    // Whoever meant the kota is told where to report it.
    await h.say('2', t);
    expect((await h.say('kota bogor', t)).all).toContain('Kota Bogor, Jawa Barat berada di luar wilayah itu');
  });

  it('files a report inside the area as before', async () => {
    await tipToReview(h, { chat: 'warga-babel', locale: 'id', links: ['https://x.com/a/status/7'] });
    const filed = await confirm(h, { chat: 'warga-babel', locale: 'id' });
    expect(await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } })).toMatchObject({ officeCode: '19.05' });
  });

  it('reads the area as codes separated by commas and refuses anything else, or a code no region has, at start', async () => {
    expect(loadConfig({ NETRA_SERVED_AREA: ' 19 ,32.01' }).NETRA_SERVED_AREA).toEqual(['19', '32.01']);
    expect(loadConfig({}).NETRA_SERVED_AREA).toBeUndefined();
    expect(() => loadConfig({ NETRA_SERVED_AREA: 'Bangka' })).toThrow(/NETRA_SERVED_AREA/);
    await expect(createHarness('pglite', { env: { NETRA_SERVED_AREA: '19,32.99' } })).rejects.toThrow(/32\.99 does not/);
  });
});
