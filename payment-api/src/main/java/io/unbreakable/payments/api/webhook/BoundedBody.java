package io.unbreakable.payments.api.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A receiver's answer body read to at most {@code limit} bytes, keeping the first {@value #KEPT} for the
 * delivery's error text: a receiver answering 10 MB (or an endless stream) fails the attempt early instead
 * of filling memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {

    static final int KEPT = 200;

    private final long limit;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long received;

    BoundedBody(long limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<String> handler(long limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
            int keep = Math.min(buffer.remaining(), KEPT - kept.size());
            if (keep > 0) {
                byte[] bytes = new byte[keep];
                buffer.get(bytes);
                kept.writeBytes(bytes);
            }
        }
        if (received > limit) {
            subscription.cancel();
            body.completeExceptionally(new IOException("answer body over " + limit + " bytes"));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(kept.toString(StandardCharsets.UTF_8));
    }
}
