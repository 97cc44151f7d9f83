/** The log's identity in checkpoints and the device key's note name (C2SP tlog-checkpoint origin). */
export function logOrigin(workstationId: string): string {
  return `rw-workstation/${workstationId}`;
}
