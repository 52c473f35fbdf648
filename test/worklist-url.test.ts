import { describe, expect, it } from 'vitest';
import { ORDERS, paramsOfView, sortedBy, viewFromParams, type WorklistView } from '../studio/src/pages/Worklists/worklistUrl';

/** The studio's worklist URL <-> view mapping: round trips, defaults, malformed params dropped, header clicks. */
const url = (view: WorklistView) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(paramsOfView(view))) if (v !== null) params.set(k, v);
  return params;
};

describe('worklist URL', () => {
  it('round-trips every filter, order and direction', () => {
    const view: WorklistView = {
      orderBy: 'SPECIALIST',
      direction: 'DESC',
      filter: {
        priorities: [1, 3],
        minAmountToBeCollected: '100',
        maxAmountToBeCollected: '2500.50',
        minDaysOverdue: 30,
        maxDaysOverdue: 90,
        specialistId: '12',
        firedRule: 'Over 30 days',
        worked: false,
        search: 'orbit & co',
      },
    };
    const params = url(view);
    expect(params.toString()).toBe(
      'order=specialist&dir=desc&priority=1%2C3&min=100&max=2500.50&dmin=30&dmax=90&specialist=12&rule=Over+30+days&worked=no&q=orbit+%26+co',
    );
    expect(viewFromParams(params)).toEqual(view);
    for (const o of ORDERS)
      for (const direction of ['ASC', 'DESC'] as const) {
        const back = viewFromParams(url({ orderBy: o.orderBy, direction, filter: {} }));
        expect(back.orderBy).toBe(o.orderBy);
        // The natural direction is left out of the URL (null: the API's default).
        expect(back.direction).toBe(direction === o.natural ? null : direction);
      }
    expect(viewFromParams(url({ orderBy: 'WORKLIST', direction: null, filter: { unassigned: true, worked: true } }))).toEqual({
      orderBy: 'WORKLIST',
      direction: null,
      filter: { unassigned: true, worked: true },
    });
  });

  it('reads an empty URL as the worklist order, unfiltered, and links of earlier studios as before', () => {
    expect(viewFromParams(new URLSearchParams())).toEqual({ orderBy: 'WORKLIST', direction: null, filter: {} });
    expect(viewFromParams(new URLSearchParams('priority=2&order=to-be-collected'))).toEqual({
      orderBy: 'AMOUNT_TO_BE_COLLECTED',
      direction: null,
      filter: { priorities: [2] },
    });
  });

  it('drops malformed params instead of sending them', () => {
    const view = viewFromParams(
      new URLSearchParams({
        order: 'nope',
        dir: 'sideways',
        priority: 'x,-1',
        min: '-5',
        max: '1e9',
        dmin: '40',
        dmax: '10',
        specialist: '0',
        rule: 'a\u0000b',
        worked: 'maybe',
        q: '  ',
      }),
    );
    expect(view).toEqual({ orderBy: 'WORKLIST', direction: null, filter: { minDaysOverdue: 40 } });
    expect(viewFromParams(new URLSearchParams({ min: '500', max: '100' })).filter).toEqual({ minAmountToBeCollected: '500' });
  });

  it('sorts by a new column in its natural direction and turns the current one around', () => {
    const start: WorklistView = { orderBy: 'WORKLIST', direction: null, filter: { priorities: [1] } };
    const byAmount = sortedBy(start, 'AMOUNT_TO_BE_COLLECTED');
    expect(byAmount).toEqual({ orderBy: 'AMOUNT_TO_BE_COLLECTED', direction: null, filter: { priorities: [1] } });
    const reversed = sortedBy(byAmount, 'AMOUNT_TO_BE_COLLECTED');
    expect(reversed.direction).toBe('ASC');
    expect(sortedBy(reversed, 'AMOUNT_TO_BE_COLLECTED').direction).toBeNull();
    expect(sortedBy(sortedBy(start, 'PARTNER_NAME'), 'PARTNER_NAME').direction).toBe('DESC');
  });
});
