// A dedicated worker that writes one file of the origin-private file system
// through a FileSystemSyncAccessHandle, for `OpfsFileSink` in aloft-storage.js.
//
// Why a worker: a page can only write OPFS files through
// FileSystemWritableFileStream, whose writes travel to the browser process as
// blobs, and Chromium keeps those in memory until the page's garbage collector
// lets go of them (measured: +300 MiB in the browser process for a 256 MiB
// download). A sync access handle, which only workers may open, writes in
// place, so a download's memory stays flat whatever the file's size.
//
// Messages in: {id, op: 'open', name} | {id, op: 'close'}
//   | {id, op: 'write', position, data: ArrayBuffer, offset, length} (bytes
//     [offset, offset + length) of data go to the file at position);
// out: {id, ok: true} (a write's buffer comes back as `data`, transferred, for
// reuse) or {id, error}.

let handle = null;
const queue = [];
let busy = false;

async function run(msg) {
  switch (msg.op) {
    case 'open': {
      if (handle) throw new Error('a file is already open');
      const dir = await navigator.storage.getDirectory();
      const file = await dir.getFileHandle(msg.name, { create: true });
      handle = await file.createSyncAccessHandle();
      handle.truncate(0);
      return;
    }
    case 'write': {
      if (!handle) throw new Error('no file is open');
      const written = handle.write(new Uint8Array(msg.data, msg.offset, msg.length), { at: msg.position });
      if (written !== msg.length) throw new Error(`wrote ${written} of ${msg.length} bytes at ${msg.position}`);
      return msg.data;
    }
    case 'close': {
      if (!handle) return;
      handle.flush();
      handle.close();
      handle = null;
      return;
    }
    default:
      throw new Error(`unknown op ${msg.op}`);
  }
}

// One message at a time, in order: `open` awaits, and writes must not overtake it.
self.onmessage = async ({ data }) => {
  queue.push(data);
  if (busy) return;
  busy = true;
  while (queue.length) {
    const msg = queue.shift();
    try {
      const data = await run(msg);
      if (data) self.postMessage({ id: msg.id, ok: true, data }, [data]);
      else self.postMessage({ id: msg.id, ok: true });
    } catch (e) {
      self.postMessage({ id: msg.id, error: `${e.name}: ${e.message}` });
    }
  }
  busy = false;
};
