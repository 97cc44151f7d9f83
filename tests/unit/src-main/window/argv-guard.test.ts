import { describe, expect, it } from 'vitest';
import { refusedLaunchReasons } from '../../../../src-main/window/argv-guard';

describe('launch guard', () => {
  it('accepts a plain launch', () => {
    expect(refusedLaunchReasons(['/opt/rw/rw', '--lang=en'], {})).toEqual([]);
  });

  it.each([
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-port'],
    ['--remote-debugging-pipe'],
    ['--inspect'],
    ['--inspect=9229'],
    ['--inspect-brk=0'],
    ['--inspect-port=1'],
    ['--no-sandbox'],
    ['--disable-web-security'],
    ['--js-flags=--allow-natives-syntax'],
  ])('refuses %s', (flag) => {
    expect(refusedLaunchReasons(['/opt/rw/rw', flag], {})).toHaveLength(1);
  });

  it('refuses ELECTRON_RUN_AS_NODE in any value, and NODE_OPTIONS that load code', () => {
    expect(refusedLaunchReasons([], { ELECTRON_RUN_AS_NODE: '' })).toHaveLength(1);
    expect(refusedLaunchReasons([], { NODE_OPTIONS: '--require /tmp/x.js' })).toHaveLength(1);
    expect(refusedLaunchReasons([], { NODE_OPTIONS: '--max-old-space-size=4096' })).toEqual([]);
  });

  it('does not mistake a lookalike switch for a refused one', () => {
    expect(refusedLaunchReasons(['--inspection-mode'], {})).toEqual([]);
  });
});
