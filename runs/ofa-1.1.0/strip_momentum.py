# Copies a trainer checkpoint without its optimizer.momentum.* tensors (not needed at a phase boundary:
# the next phase starts a fresh SGD). safetensors: u64 header length, JSON header, raw data.
import json, struct, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, 'rb') as f:
    n = struct.unpack('<Q', f.read(8))[0]
    header = json.loads(f.read(n))
    data = f.read()
meta = header.pop('__metadata__', None)
keep = sorted(k for k in header if not k.startswith('optimizer.momentum.'))
out_header, chunks, offset = {}, [], 0
for k in keep:
    a, b = header[k]['data_offsets']
    chunk = data[a:b]
    out_header[k] = {'dtype': header[k]['dtype'], 'shape': header[k]['shape'], 'data_offsets': [offset, offset + len(chunk)]}
    chunks.append(chunk); offset += len(chunk)
if meta is not None: out_header['__metadata__'] = meta
hb = json.dumps(out_header, separators=(',', ':')).encode()
hb += b' ' * ((8 - len(hb) % 8) % 8)
with open(dst, 'wb') as f:
    f.write(struct.pack('<Q', len(hb))); f.write(hb)
    for c in chunks: f.write(c)
print(f"{len(header)} tensors -> {len(keep)}; {8+n+len(data)} -> {8+len(hb)+offset} bytes")
