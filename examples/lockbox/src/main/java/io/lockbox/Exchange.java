package io.lockbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One HTTP request and its answer: JSON for the API, bytes of a given type for the status page. */
final class Exchange {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange http;
    private int status;

    Exchange(HttpExchange http) {
        this.http = http;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return http.getRequestURI().getPath();
    }

    int status() {
        return status;
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The request's JSON object; 400 when it is not one. */
    JsonNode body() throws ApiError, IOException {
        byte[] bytes;
        try (InputStream in = http.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(413, "The request body is larger than " + MAX_BODY + " bytes.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("The request body is not valid JSON; send a JSON object.");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.");
        }
        return node;
    }

    /** A required non-empty text field of the body; 400 naming it otherwise. */
    static String text(JsonNode body, String field) throws ApiError {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest("The field '" + field + "' is missing.");
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw ApiError.badRequest("The field '" + field + "' must be a non-empty string.");
        }
        return v.asText();
    }

    Map<String, String> query() {
        Map<String, String> out = new HashMap<>();
        String raw = http.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** ?limit=N, 1 to max, or the default; 400 naming 'limit' otherwise. */
    int limit(int defaultLimit, int max) throws ApiError {
        String v = query().get("limit");
        if (v == null) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Answered below.
        }
        throw ApiError.badRequest("The parameter 'limit' must be a whole number from 1 to " + max + ".");
    }

    void send(int status, Object body) throws IOException {
        send(status, body, Map.of());
    }

    void send(int status, Object body, Map<String, String> headers) throws IOException {
        sendBytes(status, "application/json", JSON.writeValueAsBytes(body), headers);
    }

    /** An answer that is not JSON: the status page and its assets. */
    void sendBytes(int status, String contentType, byte[] bytes, Map<String, String> headers) throws IOException {
        this.status = status;
        http.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> http.getResponseHeaders().set(k, v));
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    void error(ApiError e) throws IOException {
        send(e.status(), Map.of("error", e.getMessage()), e.status() == 503 ? Map.of("Retry-After", "5") : Map.of());
    }
}
