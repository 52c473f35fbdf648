import { describe, expect, it } from 'vitest';
import { armBucket, armOf } from './worklist-arm';

describe('experiment arms', () => {
  it('reads the first 32 bits of md5(key:partner) modulo 10000', () => {
    // md5('EXP-1:42') = 5d723ae0… (md5sum): 0x5d723ae0 = 1567767264, mod 10000 = 7264.
    expect(armBucket('EXP-1', '42')).toBe(7264);
  });

  it('puts about the share in the challenger arm and is stable', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => String(1000 + i));
    const challengers = ids.filter((id) => armOf('K', id, 2000) === 'CHALLENGER');
    expect(Math.abs(challengers.length / ids.length - 0.2)).toBeLessThan(0.01);
    expect(ids.filter((id) => armOf('K', id, 2000) === 'CHALLENGER')).toEqual(challengers);
    // Another key draws other arms.
    expect(ids.filter((id) => armOf('L', id, 2000) === 'CHALLENGER')).not.toEqual(challengers);
  });
});
