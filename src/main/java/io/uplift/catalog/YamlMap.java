package io.uplift.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Typed reads from one YAML mapping that record a problem, with file, line and field path,
 * instead of throwing: the loader goes on and reports everything at the end.
 */
final class YamlMap {
    private final Path file;
    private final String path;
    private final Node node;
    private final Map<String, Node> entries = new LinkedHashMap<>();
    private final Problems problems;

    YamlMap(Path file, String path, Node node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                if (entries.putIfAbsent(key, tuple.getValueNode()) != null) {
                    problem(tuple.getKeyNode(), key, "appears twice; keep one");
                }
            }
        } else if (node != null) {
            problem(node, "", "expected a mapping of 'field: value' lines");
        }
    }

    Path file() {
        return file;
    }

    int line() {
        return line(node);
    }

    /** The line of a field's value, or of this mapping when the field is absent. */
    int lineOf(String key) {
        return line(entries.getOrDefault(key, node));
    }

    static int line(Node n) {
        return n == null ? 1 : n.getStartMark().getLine() + 1;
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(Node at, String key, String message) {
        problems.add(file, line(at != null ? at : entries.getOrDefault(key, node)), key.isEmpty() ? path : field(key), message);
    }

    /** Reports fields the format does not know: a misspelt optional field must not pass silently. */
    void rejectUnknown(Set<String> known) {
        entries.forEach((key, value) -> {
            if (!known.contains(key)) {
                problem(value, key, "unknown field; the known fields are " + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    /** The fields of this mapping, in file order (for mappings keyed by name, such as token formats). */
    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<String> optString(String key) {
        Node value = entries.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof ScalarNode s && !s.getValue().isEmpty()) {
            return Optional.of(s.getValue());
        }
        problem(value, key, "expected a single value");
        return Optional.empty();
    }

    String string(String key) {
        if (!entries.containsKey(key)) {
            problem(null, key, "is missing; this field is required");
            return null;
        }
        return optString(key).orElse(null);
    }

    <T> T parsed(String key, String fallbackText, Function<String, T> parser) {
        String text = has(key) ? optString(key).orElse(null) : fallbackText;
        if (text == null) {
            if (!has(key)) {
                problem(null, key, "is missing; this field is required");
            }
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(entries.get(key), key, e.getMessage());
            return null;
        }
    }

    boolean bool(String key, boolean fallback) {
        return Boolean.TRUE.equals(parsed(key, Boolean.toString(fallback), text -> switch (text) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        }));
    }

    long number(String key, long fallback) {
        Long value = parsed(key, Long.toString(fallback), text -> {
            try {
                long n = Long.parseLong(text);
                if (n < 0) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
        });
        return value == null ? fallback : value;
    }

    /** A list of scalars; a single scalar is accepted as a list of one. */
    List<String> strings(String key) {
        Node value = entries.get(key);
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (value instanceof ScalarNode s) {
            if (!s.getValue().isEmpty()) {
                result.add(s.getValue());
            }
            return result;
        }
        if (value instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    result.add(s.getValue());
                } else {
                    problem(item, key, "expected a list of plain values");
                }
            }
            return result;
        }
        problem(value, key, "expected a list");
        return result;
    }

    Optional<YamlMap> map(String key) {
        Node value = entries.get(key);
        return value == null ? Optional.empty() : Optional.of(new YamlMap(file, field(key), value, problems));
    }

    /** A list of mappings, e.g. the post-upgrade tasks. */
    List<YamlMap> maps(String key) {
        Node value = entries.get(key);
        List<YamlMap> result = new ArrayList<>();
        if (value == null || (value instanceof ScalarNode s && s.getValue().isEmpty())) {
            return result;
        }
        if (!(value instanceof SequenceNode seq)) {
            problem(value, key, "expected a list of mappings");
            return result;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            result.add(new YamlMap(file, field(key) + "[" + i++ + "]", item, problems));
        }
        return result;
    }
}
