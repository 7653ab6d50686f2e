/**
 * The whole thing as a person at a terminal uses it: `netra chat` in a child process with a fresh data
 * directory (embedded database), a report typed line by line with a photo attached by `/file`, then /status.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../support/chatHarness.ts';
import { jpegWithExif } from './reportJourney.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function runChat(dataDir: string, lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'bot/cli/netra.ts', 'chat'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: '',
        NETRA_DATA_DIR: dataDir,
        NETRA_SECRET: TEST_SECRET,
        LOG_LEVEL: 'warn',
        TELEGRAM_BOT_TOKEN: '',
        WHATSAPP_ENABLED: 'false',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

describe('a report typed in the terminal chat', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('files an Indonesian tip with an attached photo and shows its code, receipt and status', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-terminal-'));
    dirs.push(dataDir);
    const photo = path.join(dataDir, 'foto bukti.jpg');
    writeFileSync(photo, await jpegWithExif('terminal', { r: 50, g: 60, b: 70 }));
    const { code, stdout, stderr } = await runChat(dataDir, [
      '/lapor',
      '1',
      'setuju',
      'tidak tahu',
      'Kepala Dinas Pendidikan',
      'tidak tahu',
      'PNS',
      '1',
      'kemarin',
      'hari ini',
      'bangka barat',
      'lewati',
      'Kepala dinas mengunggah foto kampanye calon bupati dan meminta para guru membagikannya.',
      `/file ${photo}`,
      'https://facebook.com/kadis/posts/42',
      'selesai',
      'kirim laporan',
      '/status',
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Bukti ke-1 dari maksimal 10 diterima');
    expect(stdout).toContain('foto bukti.jpg');
    expect(stdout).toMatch(/Kode: NTR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/);
    expect(stdout).toMatch(/\n\d{4} \d{4} \d{4} \d{4}\n/);
    expect(stdout).toContain('Ditujukan kepada: Bawaslu Kabupaten Bangka Barat');
    const ticketCode = /Kode: (NTR-\S+)/.exec(stdout)![1]!;
    expect(stdout).toContain(`${ticketCode} · informasi awal · terkirim, menunggu ditanggapi Bawaslu`);
  }, 180_000);

  it('files an English formal report and checks it again with code and receipt', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-terminal-'));
    dirs.push(dataDir);
    const photo = path.join(dataDir, 'rally.jpg');
    writeFileSync(photo, await jpegWithExif('terminal-en', { r: 70, g: 60, b: 50 }));
    const { code, stdout, stderr } = await runChat(dataDir, [
      '/language en',
      '/report',
      '2',
      'I agree',
      'Budi Santoso',
      'Camat Koba',
      'Kantor Camat Koba',
      '1',
      '3',
      'yesterday',
      'today',
      'koba',
      'yes',
      'skip',
      'The camat spoke at a campaign rally for a regent candidate in his official uniform.',
      `/file ${photo}`,
      'done',
      'no witnesses',
      'Andi Wijaya',
      'Jl. Merdeka No. 10, Koba',
      '0812 3456 7890',
      'skip',
      'send the report',
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Your report has been sent.');
    expect(stdout).toContain('Bawaslu Kabupaten Bangka Tengah');
    const ticketCode = /Code: (NTR-\S+)/.exec(stdout)?.[1];
    const receipt = /\n(\d{4} \d{4} \d{4} \d{4})\n/.exec(stdout)?.[1];
    expect(ticketCode).toBeDefined();
    expect(receipt).toBeDefined();

    const again = await runChat(dataDir, [`/status ${ticketCode} ${receipt}`]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Report ${ticketCode}`);
    expect(again.stdout).toContain('Report sent through Netra');
  }, 180_000);
});
