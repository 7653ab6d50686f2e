import { describe, expect, it } from 'vitest';
import { applyPersonalOp, emptyPersonalData, type PersonalData, type PersonalOp } from '../../../flows/report/personalData.ts';

function apply(data: PersonalData, ...ops: PersonalOp[]): PersonalData {
  return ops.reduce(applyPersonalOp, data);
}

const twoWitnesses = apply(
  emptyPersonalData(),
  { type: 'startWitness', name: 'Joko Susilo' },
  { type: 'finishWitness', contact: null },
  { type: 'startWitness', name: 'Sari Dewi' },
  { type: 'finishWitness', contact: '+6281234567890' },
);

describe('the witnesses in the sealed personal data', () => {
  it('adds a witness to the end of the list when its contact is given', () => {
    expect(twoWitnesses.witnesses).toEqual([
      { name: 'Joko Susilo', contact: null },
      { name: 'Sari Dewi', contact: '+6281234567890' },
    ]);
    expect(twoWitnesses.pendingWitnessName).toBeNull();
  });

  it('keeps the witnesses given before while the first of a new list is only named, and replaces them once it is noted', () => {
    const named = apply(twoWitnesses, { type: 'startWitness', name: 'Dodi Pratama', replace: true });
    expect(named.witnesses).toHaveLength(2);
    expect(apply(named, { type: 'finishWitness', contact: null }).witnesses).toEqual([{ name: 'Dodi Pratama', contact: null }]);
  });

  it('adds to the list again when a replacement was left for an added witness, and forgets it when cleared', () => {
    const left = apply(twoWitnesses, { type: 'startWitness', name: 'Dodi Pratama', replace: true });
    const added = apply(left, { type: 'startWitness', name: 'Eka Putri' }, { type: 'finishWitness', contact: null });
    expect(added.witnesses.map((w) => w.name)).toEqual(['Joko Susilo', 'Sari Dewi', 'Eka Putri']);
    const cleared = apply(left, { type: 'clearWitnesses' }, { type: 'startWitness', name: 'Eka Putri' }, { type: 'finishWitness', contact: null });
    expect(cleared.witnesses.map((w) => w.name)).toEqual(['Eka Putri']);
    expect(cleared).not.toHaveProperty('replacingWitnesses');
  });
});
