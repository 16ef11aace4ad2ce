package io.tandem.support;

import org.springframework.context.ApplicationContext;

import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairStates;

/** Tells every {@link PairListener} of a context of a health change, as the monitor does after judging a pair. */
public final class PairEvents {

    private PairEvents() {
    }

    public static void healthChanged(ApplicationContext context, PairStates.HealthChanged change) {
        context.getBeansOfType(PairListener.class).values().forEach(listener -> listener.healthChanged(change));
    }
}
