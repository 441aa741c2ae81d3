package dev.tensorinit.opencl;

import dev.tensorinit.Dispatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Several threads open the OpenCL backend at once in a fresh JVM (each through its own Dispatcher, so its own discovery). */
public final class ConcurrentDiscoveryMain {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                Dispatcher.standard().open("opencl").close();
            }));
        }
        go.countDown();
        for (Thread t : ts) t.join();
        System.out.println("survived");
    }
}
