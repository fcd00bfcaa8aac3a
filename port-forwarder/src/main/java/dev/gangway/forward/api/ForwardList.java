package dev.gangway.forward.api;

import java.util.List;

/** The body of {@code GET /forwards}. */
public record ForwardList(List<ForwardView> forwards) {
}
