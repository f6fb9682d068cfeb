package io.uplift.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP exchanges with Lockbox, nothing else: no interpretation of bodies (that is
 * {@link LoadOperations}'s job). The token goes in the Authorization header of /api/* calls only and
 * is never printed.
 */
public final class LockboxClient {
    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration requestTimeout;

    public LockboxClient(URI base, String token, Duration connectTimeout, Duration requestTimeout) {
        // HTTP/1.1 only: the default would offer an h2c upgrade, which a plain HTTP/1.1 server may mishandle.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.base = base;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    public Answer get(String path, boolean authenticated) throws IOException, InterruptedException {
        return send(request(path, authenticated).GET().build());
    }

    public Answer post(String path, String json) throws IOException, InterruptedException {
        return send(request(path, true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout);
        if (authenticated) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").isPresent(),
                response.body());
    }
}
