import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { createStore, inspectStore } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

for (const async of [false, true]) {
  describe(`smoke async=${async}`, () => {
    it('does the basics', async () => {
      const s = createStore(referenceBacking({ async }));
      expect(await firstValueFrom(s.get('a'))).toBeUndefined();
      const m = await firstValueFrom(s.assoc('a', { x: 1, d: new Date(3), m: new Map([[1, 2]]) }, { meta: { owner: 'me', type: 'x' } }));
      expect(m.type).toBe('value');
      expect(m.owner).toBe('me');
      expect(await firstValueFrom(s.get('a'))).toEqual({ x: 1, d: new Date(3), m: new Map([[1, 2]]) });
      expect(await firstValueFrom(s.getIn(['a', 'm', 1]))).toBe(2);
      expect(await firstValueFrom(s.assocIn(['a', 'y', 'z'], 5))).toMatchObject({ new: { y: { z: 5 } } });
      expect(await firstValueFrom(s.updateIn(['a', 'y', 'z'], (v: number | undefined) => (v ?? 0) + 1))).toEqual({ old: 5, new: 6 });
      await lastValueFrom(merge(...Array.from({ length: 50 }, () => s.update('n', (v: number | undefined) => (v ?? 0) + 1))));
      expect(await firstValueFrom(s.get('n'))).toBe(50);
      for (let i = 0; i < 5; i++) await firstValueFrom(s.append('log', i));
      expect(await lastValueFrom(s.log('log').pipe(toArray()))).toEqual([0, 1, 2, 3, 4]);
      expect(await firstValueFrom(s.reduceLog('log', (a: number, e: number) => a + e, 0))).toBe(10);
      await firstValueFrom(s.bassoc('bin', 'hello'));
      expect(await firstValueFrom(s.bget('bin', (b) => b.bytes()))).toEqual(new TextEncoder().encode('hello'));
      const keys = await lastValueFrom(s.keys().pipe(toArray()));
      expect(keys.map((k) => k.key).sort()).toEqual(['a', 'bin', 'log', 'n']);
      expect(await firstValueFrom(s.dissoc('log'))).toBe(true);
      expect(
        await firstValueFrom(
          s.multiAssoc([
            ['p', 1],
            ['q', 2],
          ]),
        ),
      ).toEqual(
        new Map([
          ['p', true],
          ['q', true],
        ]),
      );
      expect(await firstValueFrom(s.multiGet(['p', 'q', 'r']))).toEqual(
        new Map([
          ['p', 1],
          ['q', 2],
        ]),
      );
      expect(inspectStore(s).activeLocks).toBe(0);
      await firstValueFrom(s.close());
      await expect(firstValueFrom(s.get('a'))).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    });
  });
}
