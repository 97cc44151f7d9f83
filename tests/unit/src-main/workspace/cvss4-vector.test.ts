import { describe, expect, it } from 'vitest';
import { checkCvss4Vector, parseCvss4Vector } from '../../../../src-main/workspace/cvss4-vector';

const BASE = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('CVSS v4.0 vectors', () => {
  it.each([
    ['all base metrics', BASE],
    ['other base values', 'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:L/SC:H/SI:L/SA:H'],
    ['threat metric', `${BASE}/E:A`],
    ['environmental with safety', `${BASE}/CR:H/IR:M/AR:L/MAV:A/MAC:H/MAT:P/MPR:L/MUI:P/MVC:N/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S`],
    ['supplemental', `${BASE}/S:P/AU:Y/R:I/V:C/RE:H/U:Amber`],
    ['not defined values', `${BASE}/E:X/CR:X/MSI:X/U:X`],
    ['every group in order', `${BASE}/E:P/CR:M/MAV:L/S:N/U:Clear`],
  ])('accepts %s', (_name, vector) => {
    const result = parseCvss4Vector(vector);
    expect(result.ok).toBe(true);
    expect(checkCvss4Vector(vector)).toBe(vector);
  });

  it('returns the metrics it read', () => {
    const result = parseCvss4Vector(`${BASE}/E:U/U:Red`);
    expect(result).toEqual({ ok: true, metrics: { AV: 'N', AC: 'L', AT: 'N', PR: 'N', UI: 'N', VC: 'H', VI: 'H', VA: 'H', SC: 'N', SI: 'N', SA: 'N', E: 'U', U: 'Red' } });
  });

  it.each([
    ['empty', '', /start with/],
    ['CVSS 3.1 prefix', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /start with/],
    ['lower-case prefix', BASE.replace('CVSS', 'cvss'), /start with/],
    ['prefix only', 'CVSS:4.0', /AV is missing/],
    ['missing base metric SA', BASE.replace('/SA:N', ''), /SA is missing/],
    ['missing base metric AT', BASE.replace('/AT:N', ''), /AT is missing/],
    ['base metrics out of order', 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /AV is missing or out of order/],
    ['impact order of a bad producer', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N', /out of order/],
    ['optional metric out of order', `${BASE}/U:Red/E:A`, /E is out of order/],
    ['duplicate metric', `${BASE}/E:A/E:A`, /E appears twice/],
    ['duplicate base metric', `${BASE}/AV:N`, /AV appears twice/],
    ['unknown metric', `${BASE}/XX:Y`, /unknown metric/],
    ['CVSS 3 metric', `${BASE}/S:U`, /S cannot be "U"/],
    ['bad base value', BASE.replace('AV:N', 'AV:X'), /AV cannot be "X"/],
    ['safety on a non-safety metric', `${BASE}/MSC:S`, /MSC cannot be "S"/],
    ['lower-case value', `${BASE}/U:red`, /U cannot be "red"/],
    ['trailing slash', `${BASE}/`, /is not Metric:Value/],
    ['double colon', `${BASE}/E::A`, /is not Metric:Value/],
    ['empty metric name', `${BASE}/:A`, /is not Metric:Value/],
    ['whitespace', `${BASE} `, /cannot be/],
    ['too long', `${BASE}/${'E:A/'.repeat(120)}E:A`, /too long/],
  ])('refuses %s', (_name, vector, reason) => {
    const result = parseCvss4Vector(vector);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(() => checkCvss4Vector(vector)).toThrow(/Not a valid CVSS v4.0 vector/);
  });
});
