import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { decideKey, installKeyFilter, type KeyInput } from '../../../../src-main/window/key-filter';
import { FakeWebContents } from '../../../helpers/fake-electron';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, shift: false, alt: false, ...mods });

describe('main-process key filter', () => {
  it.each([
    ['Ctrl+P', key('p', { control: true })],
    ['Cmd+P', key('P', { meta: true })],
    ['Ctrl+Shift+P', key('P', { control: true, shift: true })],
  ])('blocks %s in development and production', (_name, input) => {
    expect(decideKey(input, false)).toBe('block-print');
    expect(decideKey(input, true)).toBe('block-print');
  });

  it.each([
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
    ['Cmd+Alt+I', key('i', { meta: true, alt: true })],
    ['Ctrl+U (view source)', key('u', { control: true })],
    ['Ctrl+R', key('r', { control: true })],
    ['F5', key('F5')],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
  ])('swallows %s in production only', (_name, input) => {
    expect(decideKey(input, true)).toBe('block-debug');
    expect(decideKey(input, false)).toBe('allow');
  });

  it.each([
    ['typing p', key('p')],
    ['Ctrl+C', key('c', { control: true })],
    ['Ctrl+L (lock)', key('l', { control: true })],
    ['a key-up of Ctrl+P', { ...key('p', { control: true }), type: 'keyUp' }],
  ])('lets %s through', (_name, input) => {
    expect(decideKey(input as KeyInput, true)).toBe('allow');
  });

  it('prevents the event and reports what it blocked', () => {
    const contents = new FakeWebContents();
    const blocked: string[] = [];
    installKeyFilter(contents as unknown as WebContents, true, (d) => blocked.push(d));
    expect(contents.fire('before-input-event', key('p', { control: true }))).toBe(true);
    expect(contents.fire('before-input-event', key('a'))).toBe(false);
    expect(blocked).toEqual(['block-print']);
  });
});
