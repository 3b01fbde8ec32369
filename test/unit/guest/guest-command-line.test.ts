import { describe, expect, it } from 'vitest';
import { guestCommandArgv } from '../../../extension/core/machines/guest-access/guest-command-line';

describe('guest command lines', () => {
  it('joins the words into one shell line, as OpenSSH does', () => {
    expect(guestCommandArgv(['echo hi > /root/x'], 'shell')).toEqual(['/bin/sh', '-c', 'echo hi > /root/x']);
    expect(guestCommandArgv(['dmesg', '|', 'tail', '-n', '5'], 'shell')).toEqual(['/bin/sh', '-c', 'dmesg | tail -n 5']);
  });

  it('keeps each word one argument in argv mode', () => {
    expect(guestCommandArgv(['printf', '%s|', 'a b', "it's"], 'argv')).toEqual(['printf', '%s|', 'a b', "it's"]);
  });
});
