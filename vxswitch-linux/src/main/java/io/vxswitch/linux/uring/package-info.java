/** io_uring through the FFM API: a ring of reads per tap, collected once a turn. */
package io.vxswitch.linux.uring;
