"""Media archived from posts: content-addressed files, type sniffing and safe decoding, PDQ hashes, OCR."""
