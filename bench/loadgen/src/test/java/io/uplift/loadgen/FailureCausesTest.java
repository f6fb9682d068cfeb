package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class FailureCausesTest {

    @Test
    void a503WithRetryAfterIsMaintenanceAndWithoutItAServerError() {
        assertThat(FailureCauses.ofStatus(503, true)).isEqualTo(Cause.MAINTENANCE);
        assertThat(FailureCauses.ofStatus(503, false)).isEqualTo(Cause.SERVER_ERROR);
        assertThat(FailureCauses.ofStatus(500, false)).isEqualTo(Cause.SERVER_ERROR);
    }

    @Test
    void otherStatusesAreNamed() {
        assertThat(FailureCauses.ofStatus(401, false)).isEqualTo(Cause.UNAUTHORIZED);
        assertThat(FailureCauses.ofStatus(404, false)).isEqualTo(Cause.NOT_FOUND);
        assertThat(FailureCauses.ofStatus(400, false)).isEqualTo(Cause.UNEXPECTED_STATUS);
        assertThat(FailureCauses.ofStatus(200, false)).isEqualTo(Cause.UNEXPECTED_STATUS);
    }

    @Test
    void aRefusedConnectionIsFoundEvenWhenTheHttpClientWrapsIt() {
        IOException wrapped = new IOException("wrapped", new ConnectException("Connection refused"));

        assertThat(FailureCauses.ofException(new ConnectException())).isEqualTo(Cause.CONNECTION_REFUSED);
        assertThat(FailureCauses.ofException(wrapped)).isEqualTo(Cause.CONNECTION_REFUSED);
    }

    @Test
    void timeoutsOfTheRequestAndOfTheConnectionAreTimeouts() {
        assertThat(FailureCauses.ofException(new HttpTimeoutException("request timed out"))).isEqualTo(Cause.TIMEOUT);
        assertThat(FailureCauses.ofException(new HttpConnectTimeoutException("connect timed out")))
                .isEqualTo(Cause.TIMEOUT);
    }

    @Test
    void aConnectionBrokenMidRequestIsClosedAndAnythingElseOther() {
        assertThat(FailureCauses.ofException(new IOException("Connection reset"))).isEqualTo(Cause.CONNECTION_CLOSED);
        assertThat(FailureCauses.ofException(new IOException("HTTP/1.1 header parser received no bytes")))
                .isEqualTo(Cause.CONNECTION_CLOSED);
        assertThat(FailureCauses.ofException(new IOException("something odd"))).isEqualTo(Cause.OTHER_IO_ERROR);
    }
}
