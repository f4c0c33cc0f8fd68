"""Translation to English behind one interface: back-ends, splitting, the guard, the cache (see docs/translation.md)."""
