import { describe, expect, it } from 'vitest';
import { descriptionBeforeUnknownName, employmentFromWords, evidenceToRemove, fillerReply, positionAfterName, endsWithUnknownName, isDoneWord, isEarlierWord, isSendAnswerCommand, storyAddition, isKeepWord, isNoIndonesianNumberWord, isNoWitnessWord, isNoWord, isSameDayWord, isSendWord, isSkipWord, isUnknownWord, isYesWord } from '../../../flows/report/answerWords.ts';

const yes = ['ya', 'Ya', 'YA!', 'iya', 'iyaa', 'y', 'yes', 'ok', 'OK', 'oke', 'okey', 'okay', 'setuju', 'lanjut', 'lanjutkan', 'benar', 'betul', 'boleh', 'siap', 'sip', 'ya kak', 'ya, lanjut', 'oke deh', 'iya pak', 'ya, terima kasih', 'ya mau', 'iya perlu', 'gapapa lanjut aja', 'gpp'];
const no = ['tidak', 'Tidak.', 'no', 'n', 'N', 'tdk', 'gak', 'ga', 'nggak', 'enggak', 'bukan', 'jangan', 'belum', 'tidak setuju', 'gak jadi lanjut', 'no thanks', 'tidak, terima kasih', 'tidak kak', 'gak usah', 'tidak usah', 'nggak perlu', 'tidak mau', 'no need'];
const neither = ['', 'batal', 'yakin?', 'mungkin', 'ok tidak', 'ya tidak', 'terima kasih', 'kak', 'yang mana?', 'tidak tahu', 'nanti saja', 'ya, tapi nanti saja', 'usah', 'mau', 'perlu'];

describe('isYesWord', () => {
  it.each(yes)('recognises %j as yes', (text) => {
    expect(isYesWord(text)).toBe(true);
  });

  it.each([...no, ...neither])('does not take %j for yes', (text) => {
    expect(isYesWord(text)).toBe(false);
  });

  it.each(['👍', '👍🏽', '👌', '✅', '👍👍'])('takes the sign %j for yes', (text) => {
    expect(isYesWord(text)).toBe(true);
  });

  it.each(['   ', '🙏', '😡', '👎'])('takes %j for no yes', (text) => {
    expect(isYesWord(text)).toBe(false);
  });
});

describe('isDoneWord', () => {
  it.each(['selesai', 'Udah itu aja kak', 'sudah semuanya', 'done', "that's all", "I'm done", 'all done', 'nothing else', 'dah itu aja', 'udh cukup', 'dah'])('reads %j as done', (text) => {
    expect(isDoneWord(text)).toBe(true);
  });

  it.each(['', 'belum selesai', 'Siti', 'not done yet', 'ya'])('does not read %j as done', (text) => {
    expect(isDoneWord(text)).toBe(false);
  });
});

describe('isNoIndonesianNumberWord', () => {
  it.each([
    'saya tidak punya nomor Indonesia', 'gak ada no hp indo', "I don't have an Indonesian number", "I don't have a local phone number",
    'gak punya hp', 'saya tidak punya nomor', "I don't have a phone", 'nomor saya malaysia', 'pakai nomor luar negeri kak', 'I have a foreign number',
    'no hp saya hongkong', 'saya kerja di malaysia', 'I work in Taiwan',
  ])('reads %j as no Indonesian number', (text) => {
    expect(isNoIndonesianNumberWord(text)).toBe(true);
  });

  it.each(['0812 3456 7890', 'tidak punya', 'saya punya nomor Indonesia', 'Siti', '+60 12 345 6789', 'malaysia 012 345 6789', 'Jl. Malaysia No. 3'])('does not read %j so', (text) => {
    expect(isNoIndonesianNumberWord(text)).toBe(false);
  });
});

describe('isSendWord', () => {
  it.each(['kirim', 'Kirim laporan', 'kirim laporannya', 'ya kirim sekarang', 'iya kirim skrg', 'kirimkan informasinya kak', 'send it', 'send the report', 'submit'])(
    'recognises %j as sending',
    (text) => {
      expect(isSendWord(text)).toBe(true);
    },
  );

  it.each(['', 'jangan kirim', 'kirim ke polisi', 'nanti saja kirimnya', 'send it to my boss', 'laporan', ...yes])('does not take %j for sending', (text) => {
    expect(isSendWord(text)).toBe(false);
  });
});

describe('isNoWord', () => {
  it.each(no)('recognises %j as no', (text) => {
    expect(isNoWord(text)).toBe(true);
  });

  it.each([...yes, ...neither])('does not take %j for no', (text) => {
    expect(isNoWord(text)).toBe(false);
  });
});

describe('isSkipWord', () => {
  it.each([
    'tidak ada', 'Tidak ada.', 'tidak', '-', ' - ', '—', '–', '--', 'lewati', 'skip', 'Skip!', 'none', 'no',
    'gak ada', 'nggak ada', 'ga ada', 'tdk ada', 'gk ada', 'gaada', 'tidak punya', 'ga punya', 'skip aja',
    'lewati saja', 'tidak ada kak', 'kosong', 'n/a', 'N/A', 'gk ada bukti', 'tidak ada saksi', 'Tidak ada saksinya kak',
    'belum ada bukti', 'ga punya email', 'tidak ada e-mail', 'tidak ada lagi', 'ga ada lg', 'no evidence', 'No witnesses.', 'no email',
    'saya ga punya email', 'aku gak ada saksi kak', "I don't have an email", 'i do not have any witnesses',
  ])('recognises %j as skipping the question', (text) => {
    expect(isSkipWord(text)).toBe(true);
  });

  it.each(['', 'ada', 'ya', 'budi@mail.com', '0812 3456 7890', 'tidak tahu', 'batal', 'tidak ada saksi lain selain saya', 'bukti', 'ada bukti', 'Tidak Ada Bukti Palsu', 'saya', 'saya punya email'])(
    'does not take %j for skipping',
    (text) => {
      expect(isSkipWord(text)).toBe(false);
    },
  );
});

describe('isUnknownWord', () => {
  it.each(['tidak tahu', 'Tidak tahu.', 'tidak tau', 'tdk tahu', 'ga tau', 'ga tahu', 'gak tau', 'gatau', 'nggak tahu', 'ndak tau', 'belum tahu', 'tidak kenal', 'tidak tahu namanya', 'tidak diketahui', 'unknown', "don't know", 'I don’t know', 'idk', "I don't know his name", 'I do not know', 'no idea', 'dunno', 'not sure', "I'm not sure", 'lupa namanya', 'gak inget namanya', 'kurang tahu', 'blm tau', 'belom tahu', 'gk tw', 'ga tau pak', 'tidak tahu kak'])(
    'recognises %j as not knowing',
    (text) => {
      expect(isUnknownWord(text)).toBe(true);
    },
  );

  it.each(['', 'tahu', 'Budi', 'tidak', 'Tidak Tahu Santoso', 'tahu tempe', 'Sure'])('does not take %j for not knowing', (text) => {
    expect(isUnknownWord(text)).toBe(false);
  });
});

describe('endsWithUnknownName', () => {
  it.each(["the village head of Sukamaju, I don't know his name", 'kepala desa Sukamaju, tidak tahu namanya', 'Camat Koba - saya lupa namanya', 'guru SD 3; namanya tidak diketahui'])(
    'reads %j as a name not known',
    (text) => {
      expect(endsWithUnknownName(text)).toBe(true);
    },
  );

  it.each(["I don't know his name", 'Budi, tidak tahu nama lengkapnya', 'Budi Santoso, S.Pd.', 'Siti, kepala desa'])('does not read %j so', (text) => {
    expect(endsWithUnknownName(text)).toBe(false);
  });
});

describe('descriptionBeforeUnknownName', () => {
  it.each([
    ['kepala desa Sukamaju, tidak tahu namanya', 'kepala desa Sukamaju'],
    ["he is the village head of Sukamaju, I don't know his name", 'village head of Sukamaju'],
    ['Dia seorang guru SD 3; namanya tidak diketahui', 'guru SD 3'],
    ['Camat Koba - saya lupa namanya', 'Camat Koba'],
    // Said the other way round.
    ['gatau namanya, kepala desa sukamaju', 'kepala desa sukamaju'],
    ['tidak tahu namanya, dia kades Sukamaju', 'kades Sukamaju'],
    ['gatau namanya, pokoknya kades sukamaju', 'kades sukamaju'],
    ['yg jelas dia camat koba, ga tau namanya', 'camat koba'],
  ])('reads %j as describing %j', (text, description) => {
    expect(descriptionBeforeUnknownName(text)).toBe(description);
  });

  it.each(['tidak tahu namanya', 'dia, tidak tahu namanya', 'pokoknya, ga tau namanya', 'Budi Santoso', 'Siti, kepala desa', 'bukan, tidak tahu namanya', 'saya tidak tahu, tidak tahu namanya', 'tidak tahu, tidak tahu namanya'])('finds no description in %j', (text) => {
    expect(descriptionBeforeUnknownName(text)).toBeUndefined();
  });
});

describe('isSendAnswerCommand', () => {
  it.each(['kirim', 'Kirim jawaban', 'kirim jawabannya', 'ya kirim aja', 'send', 'send it', 'Send answer', 'submit'])('recognises %j as the command', (text) => {
    expect(isSendAnswerCommand(text)).toBe(true);
  });

  it.each(['sudah saya kirim', 'Sudah saya kirim ke Panwascam', 'udah kirim kak', 'iya saya kirimkan', 'saya kirim sekarang', 'kirim ke polisi', 'jawaban', ''])(
    'does not take the answer %j for it',
    (text) => {
      expect(isSendAnswerCommand(text)).toBe(false);
    },
  );
});

describe('isKeepWord', () => {
  it.each(['tetap', 'Tetap saja', 'tetap sama', 'sama saja', 'Sama aja kak', 'seperti semula', 'biarkan', 'tidak diubah', 'keep', 'unchanged', 'sama', 'same', 'biarin', 'yg lama aja', 'pake yang sebelumnya', 'the old one'])(
    'takes %j as keeping the earlier answer',
    (text) => {
      expect(isKeepWord(text)).toBe(true);
    },
  );

  it.each(['tetap di kantor camat', 'Samarinda', 'Budi Sama', 'ya', 'tidak', 'lewati', ''])('does not take %j as keeping', (text) => {
    expect(isKeepWord(text)).toBe(false);
  });

  it('takes a bare "sama" as keeping only where it cannot mean the same day, and "sama saja" everywhere', () => {
    expect(isKeepWord('sama', false)).toBe(false);
    expect(isKeepWord('same', false)).toBe(false);
    expect(isKeepWord('sama saja', false)).toBe(true);
  });
});

describe('isEarlierWord', () => {
  it.each(['pake yg tadi', 'pakai cerita tadi', 'yang tadi aja kak', 'sama seperti tadi', 'cerita yg di atas', 'use what I wrote', 'the one above', 'same as before'])(
    'takes %j as the story written before',
    (text) => {
      expect(isEarlierWord(text)).toBe(true);
    },
  );

  it.each(['tadi pagi pak camat datang ke acara kampanye', 'pakai seragam dinas', 'kemarin', ''])('does not take %j for it', (text) => {
    expect(isEarlierWord(text)).toBe(false);
  });
});

describe('storyAddition', () => {
  it.each([
    ['pakai yg tadi aja tp tambahin: waktu itu habis jumatan warga dikumpulin', 'waktu itu habis jumatan warga dikumpulin'],
    ['yang tadi, tambahan: dia juga bagi amplop', 'dia juga bagi amplop'],
    ['use what I wrote and add: he also handed out envelopes', 'he also handed out envelopes'],
  ])('reads what %j adds to the story written before', (text, added) => {
    expect(storyAddition(text)).toBe(added);
  });

  it.each(['tadi tambah ramai, camat ikut kampanye', 'pake yg tadi', 'camat menambah poster di kantor'])('reads no addition in %j', (text) => {
    expect(storyAddition(text)).toBeUndefined();
  });
});

describe('isSameDayWord', () => {
  it.each(['sama', 'hari yang sama', 'Di hari yang sama kak', 'hari itu juga', 'hari itu jg', 'hr yg sama', 'same day', 'on the same day', 'pas hari itu jg', 'ya hari itu juga kak', 'pada hari itu', 'that same day'])('takes %j as the same day as the event', (text) => {
    expect(isSameDayWord(text)).toBe(true);
  });

  it.each(['hari ini', 'kemarin', 'sama sekali tidak', '21/11/2026', '', 'pas hari itu saya tidak di sana', 'hari itu juga saya lapor ke RT'])('does not take %j as the same day', (text) => {
    expect(isSameDayWord(text)).toBe(false);
  });
});

describe('employmentFromWords', () => {
  it.each([
    ['kades', 'village'],
    ['Dia Kades', 'village'],
    ['perangkat desa', 'village'],
    ['kepala dusun', 'village'],
    ['village head', 'village'],
    ['P3K', 'pppk'],
    ['pppk paruh waktu', 'pppk'],
    ['statusnya PNS', 'pns'],
    ['CPNS', 'pns'],
    ['pak camat', 'pns'],
    ['polisi', 'tniPolri'],
    ['anggota TNI', 'tniPolri'],
    ['he is a soldier', 'tniPolri'],
    ['guru honorer', 'nonAsn'],
    ['non-ASN', 'nonAsn'],
    ['ASN', 'asn'],
    ['beliau ASN kak', 'asn'],
    ['civil servant', 'asn'],
    ['ASN PNS', 'pns'],
    ['PPPK ASN', 'pppk'],
    ['guru P3K', 'pppk'],
    ['pak kades', 'village'],
    ['perbekel', 'village'],
    ['PPNPN', 'nonAsn'],
    ['an army officer', 'tniPolri'],
    ['pns kayaknya', 'pns'],
    ['PPPK kalau tidak salah', 'pppk'],
    ['mungkin kades', 'village'],
    // A grade after the status.
    ['pns bu, golongan IV', 'pns'],
    ['PNS gol. III/a', 'pns'],
    ['pppk golongan 9', 'pppk'],
  ] as const)('reads %j as %s', (text, employment) => {
    expect(employmentFromWords(text)).toBe(employment);
  });

  // An acting village head and some village secretaries are PNS, "contract staff" may be PPPK, a lurah is a PNS in a
  // kelurahan and the elected village head in Yogyakarta, and PPK is an election committee: none says the status.
  it.each(['', 'astronaut', 'kepala dinas', 'desa', 'PPK', 'kades dan camat', 'bukan kades', 'pj kades', 'sekdes', 'contract staff', 'guru', 'lurah', 'pak lurah', 'kayaknya', 'mungkin'])('reads no status in %j', (text) => {
    expect(employmentFromWords(text)).toBeUndefined();
  });
});

describe('fillerReply', () => {
  it.each([
    ['halo', 'greeting'],
    ['permisi min', 'greeting'],
    ['masih disitu?', 'greeting'],
    ['malam min', 'greeting'],
    ['selamat pagi', 'greeting'],
    ['Assalamualaikum', 'salam'],
    ['assalamualaikum wr wb', 'salam'],
    ['iya', 'yes'],
    ['ok', 'yes'],
    ['lanjut', 'yes'],
    ['iya itu', 'yes'],
    ['yg itu aja', 'yes'],
  ] as const)('reads %j as %s', (text, kind) => {
    expect(fillerReply(text)).toBe(kind);
  });

  // A part of the day alone is a time at a date's question ("malam"), not a greeting.
  it.each(['Dinas Pendidikan', 'kepala desa', 'Budi', 'halo dinas', 'ya tuhan', 'itu kantor camat', 'malam', 'pagi'])('reads %j as an answer', (text) => {
    expect(fillerReply(text)).toBeUndefined();
  });
});

describe('isNoWitnessWord', () => {
  it.each(['ga ada yg liat selain saya', 'tidak ada yang lihat', 'Cuma saya', 'hanya saya sendiri kak', 'saya sendiri', 'nobody', 'No one saw it', 'there were no witnesses', 'no other witness', 'None of them, I was alone', 'I was alone', 'saya sendirian', 'no one, it was online', 'gak ada, cuma di fb', 'sy sendiri aja yg liat'])(
    'reads %j as nobody else having seen it',
    (text) => {
      expect(isNoWitnessWord(text)).toBe(true);
    },
  );

  it.each(['Saya', 'Siti Aminah', 'ada yang lihat', 'Pak RT Joko', 'cuma Siti', 'I was with Siti', 'Siti, tetangga saya', 'Nobi Santoso, RT 3'])('does not read %j as no witness', (text) => {
    expect(isNoWitnessWord(text)).toBe(false);
  });
});

describe('the status named by the first words of a position', () => {
  it.each([
    ['Camat Koba', 'pns'],
    ['Kepala Desa Sukamaju', 'village'],
    ['pak kades sukamaju', 'village'],
    ['polisi Polsek Koba', 'tniPolri'],
    ['guru honorer SD 1', 'nonAsn'],
  ] as const)('reads %j as %s', (text, status) => {
    expect(employmentFromWords(text, { leading: true })).toBe(status);
    expect(employmentFromWords(text)).toBeUndefined();
  });

  it.each(['Kepala Dinas Pendidikan', 'mantan camat Koba', 'PNS atau PPPK', 'Pj Kepala Desa Sukamaju', 'Sekretaris Camat'])('reads no status from %j', (text) => {
    expect(employmentFromWords(text, { leading: true })).toBeUndefined();
  });
});

describe('positionAfterName', () => {
  it.each([
    ['pak budi, camatnya', 'pak budi', 'camat'],
    ['Budi Santoso, kades Sukamaju', 'Budi Santoso', 'kades Sukamaju'],
    ['Bu Sri, dia guru SD 3', 'Bu Sri', 'guru SD 3'],
    ['Ahmad, kepala desanya', 'Ahmad', 'kepala desa'],
    // Without a comma, from the first position's word after the name.
    ['Pak H. Darsono Kades Sukamaju', 'Pak H. Darsono', 'Kades Sukamaju'],
    ['Budi Santoso kepala dinas pendidikan', 'Budi Santoso', 'kepala dinas pendidikan'],
    ['pak budi camatnya', 'pak budi', 'camat'],
    ['Siti Aminah S.Pd guru SD 3', 'Siti Aminah S.Pd', 'guru SD 3'],
  ])('reads %j as the name %j and the position %j', (text, name, position) => {
    expect(positionAfterName(text)).toEqual({ name, position });
  });

  it.each(['Budi Santoso, S.Pd.', 'Drs. Budi, M.Si.', 'Budi Santoso', 'Budi, Siti', 'Pak Camat', 'Pak H. Kades', 'Kades Sukamaju'])('finds no position in %j', (text) => {
    expect(positionAfterName(text)).toBeUndefined();
  });
});

describe('isEarlierWord', () => {
  it.each(['pake yg tadi', 'udh sy ceritain td', 'sudah saya ceritakan tadi', 'kan udah sy tulis di atas', 'I already told you'])('reads %j as the story written before', (text) => {
    expect(isEarlierWord(text)).toBe(true);
  });

  it.each(['udah', 'sy sudah lapor', 'tadi camat datang ke kampanye'])('does not read %j as the story written before', (text) => {
    expect(isEarlierWord(text)).toBe(false);
  });
});

describe('evidenceToRemove', () => {
  it.each([
    ['hapus bukti 2', { number: 2 }],
    ['Hapus bukti ke-2', { number: 2 }],
    ['hapus bukti nomor 3 kak', { number: 3 }],
    ['hapus foto yg ke 2', { number: 2, kind: 'photo' }],
    ['hapus link 1', { number: 1, kind: 'link' }],
    ['tolong hapus 1', { number: 1 }],
    ['remove evidence 4', { number: 4 }],
    ['delete item no. 10', { number: 10 }],
    ['hapus yang terakhir', { last: true }],
    ['hapus aja yg tadi', { last: true }],
    ['hapus yg kedua', { number: 2 }],
    ['salah kirim', { last: true }],
    ['eh salah, hapus link terakhir', { last: true, kind: 'link' }],
    ['yg terakhir salah kirim, hapus aja', { last: true }],
    ['oops wrong link, delete that', { last: true, kind: 'link' }],
    ['hapus', { unnamed: true }],
    ['remove the last one', { last: true }],
    ['hapus foto tadi', { last: true, kind: 'photo' }],
    ['buang videonya yang barusan', { last: true, kind: 'video' }],
    ['remove the last link', { last: true, kind: 'link' }],
    ['hapus dokumen terakhir dong', { last: true, kind: 'document' }],
  ])('reads %j as taking back %j', (text, expected) => {
    expect(evidenceToRemove(text)).toEqual(expected);
  });

  it.each(['hapus semua bukti', 'undo', 'Budi salah', 'fotonya salah orang', 'selesai', 'https://x.com/camat/status/2', 'fotonya sudah dihapus camatnya', 'bukti 2 ada di fb', 'hapus akun camat itu'])(
    'does not read %j as taking back one piece',
    (text) => {
      expect(evidenceToRemove(text)).toBeUndefined();
    },
  );
});
