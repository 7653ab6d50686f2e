/**
 * The reporter's identity and the witnesses: personal data (UU 27/2022) that never sits in a stored snapshot in
 * clear. The flow validates each answer, then asks the bot (command `updatePersonal`) to apply one operation to
 * the sealed blob; the bot decrypts, calls {@link applyPersonalOp}, and encrypts again. The review opens it once
 * for display (command `openPersonal`) without storing the result.
 */
import { z } from 'zod';

/** The reporter's identity (formal reports); fields fill in as the questions are answered. */
export const reporterIdentitySchema = z.object({
  name: z.string().optional(),
  address: z.string().optional(),
  /** E.164 (`+62…`). */
  phone: z.string().optional(),
  /** `null`: the reporter chose not to give one. */
  email: z.string().nullable().optional(),
});
export type ReporterIdentity = z.infer<typeof reporterIdentitySchema>;

/** A witness: name and a phone (E.164) or an address, or no contact. */
export const witnessSchema = z.object({ name: z.string(), contact: z.string().nullable() });
export type Witness = z.infer<typeof witnessSchema>;

/** Everything personal a draft holds, sealed as one blob. */
export const personalDataSchema = z.object({
  reporter: reporterIdentitySchema,
  witnesses: z.array(witnessSchema),
  /** A witness whose name was given and whose contact is being asked. */
  pendingWitnessName: z.string().nullable(),
  /** An e-mail address whose domain looked misspelt, kept until the reporter answers the query about it. */
  queriedEmail: z.string().optional(),
  /** The pending witness starts a new list: those given before are dropped once it is finished, not before. */
  replacingWitnesses: z.boolean().optional(),
});
export type PersonalData = z.infer<typeof personalDataSchema>;

/** One change to the personal data. */
export const personalOpSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setReporterField'),
    field: z.enum(['name', 'address', 'phone', 'email']),
    value: z.string().nullable(),
  }),
  /**
   * With `replace`, the witness starts a new list given from the review: those given before are dropped when it is
   * finished, so that going back before then loses none.
   */
  z.object({ type: z.literal('startWitness'), name: z.string(), replace: z.boolean().optional() }),
  z.object({ type: z.literal('finishWitness'), contact: z.string().nullable() }),
  /** A witness given with a contact in one answer: `startWitness` and `finishWitness` at once. */
  z.object({ type: z.literal('addWitness'), name: z.string(), contact: z.string().nullable(), replace: z.boolean().optional() }),
  /** Takes the last witness back to "contact being asked" (going back a step). */
  z.object({ type: z.literal('reopenLastWitness') }),
  z.object({ type: z.literal('clearWitnesses') }),
  /** Keeps an address whose domain is being queried (it is not the reporter's e-mail yet). */
  z.object({ type: z.literal('queryReporterEmail'), address: z.string() }),
  /** The queried address with the suggested domain becomes the reporter's e-mail. */
  z.object({ type: z.literal('acceptEmailSuggestion'), domain: z.string() }),
]);
export type PersonalOp = z.infer<typeof personalOpSchema>;

/** Nothing collected yet. */
export function emptyPersonalData(): PersonalData {
  return { reporter: {}, witnesses: [], pendingWitnessName: null };
}

/** Applies one operation; pure, returns a new value. */
export function applyPersonalOp(data: PersonalData, op: PersonalOp): PersonalData {
  switch (op.type) {
    case 'setReporterField': {
      const { queriedEmail: _queried, ...rest } = data;
      return { ...(op.field === 'email' ? rest : data), reporter: { ...data.reporter, [op.field]: op.value } };
    }
    case 'startWitness': {
      const { replacingWitnesses: _replacing, ...rest } = data;
      return { ...rest, ...(op.replace ? { replacingWitnesses: true } : {}), pendingWitnessName: op.name };
    }
    case 'finishWitness': {
      if (data.pendingWitnessName === null) return data;
      const { replacingWitnesses, ...rest } = data;
      return {
        ...rest,
        witnesses: [...(replacingWitnesses ? [] : data.witnesses), { name: data.pendingWitnessName, contact: op.contact }],
        pendingWitnessName: null,
      };
    }
    case 'addWitness': {
      const started = applyPersonalOp(data, { type: 'startWitness', name: op.name, ...(op.replace ? { replace: true } : {}) });
      return applyPersonalOp(started, { type: 'finishWitness', contact: op.contact });
    }
    case 'reopenLastWitness': {
      const last = data.witnesses.at(-1);
      if (!last) return data;
      return { ...data, witnesses: data.witnesses.slice(0, -1), pendingWitnessName: last.name };
    }
    case 'clearWitnesses': {
      const { replacingWitnesses: _replacing, ...rest } = data;
      return { ...rest, witnesses: [], pendingWitnessName: null };
    }
    case 'queryReporterEmail':
      return { ...data, queriedEmail: op.address };
    case 'acceptEmailSuggestion': {
      const { queriedEmail, ...rest } = data;
      if (queriedEmail === undefined) return data;
      const email = `${queriedEmail.slice(0, queriedEmail.lastIndexOf('@'))}@${op.domain}`;
      return { ...rest, reporter: { ...data.reporter, email } };
    }
  }
}
