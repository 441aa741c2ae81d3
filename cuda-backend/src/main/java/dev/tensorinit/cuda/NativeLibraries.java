package dev.tensorinit.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * Looks for a shared library with the dynamic loader without touching JCuda: JCuda's own loader, once it
 * fails, leaves its classes unusable for the rest of the JVM's life (NoClassDefFoundError).
 */
final class NativeLibraries {
    private NativeLibraries() {}

    /** Null when {@code name} loads, else the loader's message. The library is unloaded again. */
    @SuppressWarnings("restricted") // libraryLookup is the point: find the library before JCuda tries
    static String whyMissing(String name) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(name, arena);
            return null;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
