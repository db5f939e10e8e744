package io.vxswitch.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every integration test starts with: a fresh {@link Lab} (skipped without root and network namespaces), and its
 * namespaces, links and processes removed afterwards, also when the test failed. A subclass's own {@code @BeforeEach}
 * runs after the lab is open, its {@code @AfterEach} before the lab is closed.
 */
abstract class LabIT {
    protected Lab lab;

    @BeforeEach
    final void openLab() {
        lab = Lab.open();
    }

    @AfterEach
    final void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }
}
