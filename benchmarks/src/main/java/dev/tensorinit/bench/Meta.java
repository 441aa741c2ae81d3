package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** meta.json as written by {@link ProfileMain}: where and when the run happened, what was present. */
public record Meta(JsonNode json) {

    public int cores() { return Math.max(1, json.path("cores").asInt(Runtime.getRuntime().availableProcessors())); }

    public String text(String key) { return json.path(key).asText("unknown"); }

    /** The memory a backend writes: "opencl" or "cuda" for device backends (by name), else "host". */
    public String domainOf(String spec) {
        String backend = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        if (backend.equals("opencl")) return "opencl";
        for (JsonNode b : json.path("backends")) {
            if (b.path("name").asText().equals(backend) && b.path("gpu").asBoolean(false)) return "cuda";
        }
        return backend.startsWith("cuda") ? "cuda" : "host";
    }

    /** Whether a row's "tensorinit NAME ..." backend probed with a non-CPU device. */
    public boolean isGpuRow(String who) {
        for (JsonNode b : json.path("backends")) {
            String prefix = "tensorinit " + b.path("name").asText();
            if ((who.equals(prefix) || who.startsWith(prefix + " ")) && b.path("gpu").asBoolean(false)) return true;
        }
        return false;
    }

    public String openclDevice() {
        String s = json.path("devices").path("opencl").path("summary").asText("OpenCL device");
        return s.startsWith("available: ") ? s.substring("available: ".length()) : s;
    }
}
