// Package diskimage reads the guest disk inside a disk image container
// (qcow2, VMDK, VHD or RAW) as one io.ReaderAt, so uimport can look inside
// an image, local or remote, without converting or mounting it.
//
// The contract of Open:
//   - nil *Disk and a *CorruptError: the container is damaged (says what).
//   - nil *Disk and an *UnsupportedError: it is not a container this package
//     reads (VHDX, VDI, QED, ISO, a VMDK descriptor without its data, an
//     archive, ...).
//   - a *Disk and a nil error: every guest byte can be read.
//   - a *Disk and an error matching ErrBackingFile, ErrDataFile or
//     ErrEncrypted (errors.Is; several are joined): the image is well formed
//     but this file alone does not hold the guest data. Info describes the
//     image so a report can say why; ReadAt returns the same error.
//
// ReadAt may still return a *CorruptError for damage found only where it
// reads (an L2 table past the end of the file, a grain that does not
// decompress).
//
// Images are hostile input: every offset is checked against the file size,
// every table and decompressed size is bounded, metadata is read in blocks
// of at most 64 KiB through a small LRU, and nothing panics (see the fuzz
// targets). The file may be remote and slow (ranged HTTP reads), so reads
// are few and large: a table block at a time, host-contiguous clusters in
// one read.
package diskimage
