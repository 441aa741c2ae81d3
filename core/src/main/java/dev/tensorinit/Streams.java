package dev.tensorinit;

import dev.tensorinit.kernel.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Stream ids. Distinct tensors under one seed should use distinct streams; a tensor's name is a
 * stable way to get one: the first 8 bytes of SHA-256(UTF-8 name), read little-endian.
 */
public final class Streams {
    private Streams() {}

    public static long ofName(String name) {
        Objects.requireNonNull(name, "tensor name");
        if (name.isEmpty()) throw new IllegalArgumentException("tensor name is empty");
        byte[] h = Sha256.digest(name.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (h[i] & 0xFF);
        return v;
    }
}
