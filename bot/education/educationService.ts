/**
 * The education service: the command handlers behind the quiz (`checkQuizProfile`, `drawQuiz`, `finishQuiz`,
 * `issueCertificate`) and certificate verification (`verifyCertificate`). Each parses its command with the flow's
 * schema and runs inside the turn's transaction.
 */
import {
  drawQuizCommandSchema,
  findMyCertificateCommandSchema,
  finishQuizCommandSchema,
  issueCertificateCommandSchema,
  type CheckQuizProfileResult,
} from '../../flows/quiz/quizCommands.ts';
import {
  verifyCertificateCommandSchema,
  verifyCertificateResultSchema,
  type VerifyCertificateResult,
} from '../../flows/verify/verifyCommands.ts';
import type { App } from '../app.ts';
import { sqlCommand, type CommandHandler } from '../conversation/conversationRuntime.ts';
import { findCertificate, findLookAlikeCode, findMyCertificate, issueCertificate } from './certificates.ts';
import type { RandomInt } from './drawQuiz.ts';
import { finishAttempt, hasTakenQuiz, startAttempt } from './quizAttempts.ts';

/** Test seams: a seeded random source instead of the CSPRNG. */
export interface EducationOptions {
  random?: RandomInt;
}

/** The handlers, by command type. */
export function educationCommands(app: App, options: EducationOptions = {}): Record<string, CommandHandler> {
  return {
    checkQuizProfile: sqlCommand(async (_command, ctx): Promise<CheckQuizProfileResult> => ({
      asked: await hasTakenQuiz(ctx.sql, ctx.chatKey),
    })),
    drawQuiz: sqlCommand(async (command, ctx) =>
      startAttempt(ctx.sql, ctx.chatKey, drawQuizCommandSchema.parse(command), ctx.at, options.random),
    ),
    finishQuiz: sqlCommand(async (command, ctx) =>
      finishAttempt(ctx.sql, ctx.chatKey, finishQuizCommandSchema.parse(command), ctx.at),
    ),
    issueCertificate: async (command, ctx) => {
      const { attemptId, name } = issueCertificateCommandSchema.parse(command);
      // The QR code links to the Telegram bot only for a certificate earned there; elsewhere it carries the code.
      return issueCertificate(ctx.tx, ctx.channel === 'telegram' ? app : { ...app, links: {} }, {
        chatKey: ctx.chatKey,
        attemptId,
        name,
        locale: ctx.locale,
        at: ctx.at,
        ...(options.random ? { random: options.random } : {}),
      });
    },
    findMyCertificate: async (command, ctx) => {
      findMyCertificateCommandSchema.parse(command);
      return findMyCertificate(ctx.tx, app.dataDir, ctx.chatKey, ctx.locale);
    },
    verifyCertificate: async (command, ctx): Promise<VerifyCertificateResult> => {
      const { code } = verifyCertificateCommandSchema.parse(command);
      const certificate = await findCertificate(ctx.tx, app.secrets, code);
      if (certificate) return { found: true, certificate };
      const suggestion = await findLookAlikeCode(ctx.tx, code);
      return verifyCertificateResultSchema.parse(suggestion ? { found: false, suggestion } : { found: false });
    },
  };
}

/** Registers the education handlers on an app. */
export function installEducation(app: App, options: EducationOptions = {}): void {
  app.runtime.registerCommands(educationCommands(app, options));
}
