/**
 * Every IPC channel the renderer may call, in one place. A channel not listed here does not exist:
 * the preload cannot name it and the router refuses it.
 */
import { sessionChannels } from './channels-session';
import { attestChannels } from './channels-attest';
import { caseChannels } from './channels-cases';
import { workspaceChannels } from './channels-workspace';
import { controlsChannels } from './channels-controls';
import { auditChannels } from './channels-audit';
import { evidenceChannels } from './channels-evidence';
import { searchChannels } from './channels-search';
import { importChannels } from './channels-import';
import { adminChannels } from './channels-admin';

export const CONTRACT = {
  ...sessionChannels,
  ...attestChannels,
  ...caseChannels,
  ...workspaceChannels,
  ...controlsChannels,
  ...auditChannels,
  ...evidenceChannels,
  ...searchChannels,
  ...importChannels,
  ...adminChannels,
};

export type Contract = typeof CONTRACT;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(CONTRACT) as ChannelName[];
