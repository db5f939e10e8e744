/**
 * {@code --explain}: the first ping's ARP exchange told as numbered steps from what the run recorded.
 * {@link io.vxswitch.lab.explain.ArpStoryRecorder} follows the request and the reply (plain, or inside VXLAN)
 * through every host switch, with its trace, and every router; {@link io.vxswitch.lab.explain.ArpStory} strings
 * the first trip of each into the story.
 */
package io.vxswitch.lab.explain;
