package dev.llmix.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Gathers every text an application could see or persist — exception messages, {@code toString()}s, stack traces and
 * causes, log lines, JSON, metric ids and tags, endpoint output, and the strings reachable from a live object such as
 * a cache (a "heap dump" of that object) — and reports where any secret occurs, in full or as a long fragment.
 */
public final class SecretScan {

    private final List<String> secrets;
    private final List<String> places = new ArrayList<>();
    private final List<String> leaks = new ArrayList<>();

    public SecretScan(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** Adds a text found at {@code place}. */
    public synchronized SecretScan text(String place, @Nullable Object text) {
        places.add(place);
        if (text == null) {
            return this;
        }
        String s = text.toString();
        for (String secret : secrets) {
            for (String fragment : fragments(secret)) {
                if (s.contains(fragment)) {
                    leaks.add(place + " contains " + (fragment.equals(secret) ? "the key " : "a fragment of the key ")
                            + "…" + secret.substring(secret.length() - 4) + ": " + excerpt(s, fragment));
                    break;
                }
            }
        }
        return this;
    }

    /** Adds a throwable: message, {@code toString()}, full stack trace with causes and suppressed exceptions. */
    public SecretScan throwable(String place, @Nullable Throwable t) {
        if (t == null) {
            return this;
        }
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        text(place + " message", t.getMessage());
        text(place + " toString", t.toString());
        return text(place + " stack trace", w.toString());
    }

    /** Adds every string, char array and byte array (as UTF-8) reachable from {@code root}. */
    public SecretScan reachable(String place, Object root) {
        for (String s : ObjectGraph.strings(root)) {
            text(place + " (reachable)", s);
        }
        return this;
    }

    public synchronized List<String> places() {
        return List.copyOf(places);
    }

    public synchronized List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** The secret itself and every 12-character window of it (a partial leak is a leak). */
    private static List<String> fragments(String secret) {
        List<String> out = new ArrayList<>();
        out.add(secret);
        int w = 12;
        for (int i = 0; i + w <= secret.length(); i++) {
            out.add(secret.substring(i, i + w));
        }
        return out;
    }

    private static String excerpt(String s, String fragment) {
        int i = s.indexOf(fragment);
        int from = Math.max(0, i - 60);
        int to = Math.min(s.length(), i + fragment.length() + 20);
        return Hostile.printable(s.substring(from, to));
    }

    /** A reflective walk over an object graph, reading JDK collections through their public API. */
    static final class ObjectGraph {

        private static final int MAX_OBJECTS = 2_000_000;

        private ObjectGraph() {
        }

        static List<String> strings(Object root) {
            List<String> out = new ArrayList<>();
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<Object> todo = new ArrayDeque<>();
            todo.push(root);
            while (!todo.isEmpty() && seen.size() < MAX_OBJECTS) {
                Object o = todo.pop();
                if (o == null || !seen.add(o)) {
                    continue;
                }
                Class<?> c = o.getClass();
                if (o instanceof CharSequence cs) {
                    out.add(cs.toString());
                } else if (o instanceof char[] chars) {
                    out.add(new String(chars));
                } else if (o instanceof byte[] bytes) {
                    out.add(new String(bytes, StandardCharsets.UTF_8));
                    out.add(new String(bytes, StandardCharsets.ISO_8859_1));
                } else if (c.isArray()) {
                    if (!c.getComponentType().isPrimitive()) {
                        for (int i = 0, n = Array.getLength(o); i < n; i++) {
                            push(todo, Array.get(o, i));
                        }
                    }
                } else if (o instanceof Map<?, ?> m && isJdk(c)) {
                    try {
                        m.forEach((k, v) -> {
                            push(todo, k);
                            push(todo, v);
                        });
                    } catch (RuntimeException e) {
                        out.add("<unreadable map " + c.getName() + ">");
                    }
                } else if (o instanceof Collection<?> col && isJdk(c)) {
                    try {
                        col.forEach(x -> push(todo, x));
                    } catch (RuntimeException e) {
                        out.add("<unreadable collection " + c.getName() + ">");
                    }
                } else if (o instanceof AtomicReference<?> ref) {
                    push(todo, ref.get());
                } else if (o instanceof Optional<?> opt) {
                    opt.ifPresent(x -> push(todo, x));
                } else if (!isJdk(c)) {
                    for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
                        for (Field f : k.getDeclaredFields()) {
                            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                                continue;
                            }
                            try {
                                f.setAccessible(true);
                                push(todo, f.get(o));
                            } catch (RuntimeException | IllegalAccessException e) {
                                out.add("<unreadable field " + k.getName() + "." + f.getName() + ">");
                            }
                        }
                    }
                }
                // Other JDK objects (locks, executors, atomics of numbers, threads) hold no response data.
            }
            return out;
        }

        private static void push(Deque<Object> todo, @Nullable Object o) {
            if (o != null && !(o instanceof Class<?>) && !(o instanceof Thread) && !(o instanceof ClassLoader)) {
                todo.push(o);
            }
        }

        private static boolean isJdk(Class<?> c) {
            String n = c.getName();
            // Transport libraries (a Redis client's connection machinery) are left out: not cached data.
            return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                    || n.startsWith("io.lettuce.") || n.startsWith("io.netty.") || n.startsWith("reactor.")
                    || n.startsWith("org.springframework.");
        }
    }
}
