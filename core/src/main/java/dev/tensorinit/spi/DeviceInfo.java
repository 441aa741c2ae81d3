package dev.tensorinit.spi;

/** A device a backend can use: name, kind (cpu, gpu, accelerator), memory in bytes, and free-form details. */
public record DeviceInfo(String name, String kind, long memoryBytes, String details) {
    @Override public String toString() {
        return name + " (" + kind + (memoryBytes > 0 ? ", " + (memoryBytes >> 20) + " MiB" : "")
                + (details.isEmpty() ? "" : ", " + details) + ")";
    }
}
