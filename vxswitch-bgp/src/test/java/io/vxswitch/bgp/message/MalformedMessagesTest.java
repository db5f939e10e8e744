package io.vxswitch.bgp.message;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each broken message ends in the NOTIFICATION RFC 4271 §6 names for it, with the data field it asks for. */
class MalformedMessagesTest {
    private static final MessageCodec CODEC = MessageCodec.FOUR_OCTET_AS;
    private static final String MARKER = "ffffffffffffffffffffffffffffffff";

    private static BgpException error(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        return catchThrowableOfType(BgpException.class, () -> CODEC.decode(bytes));
    }

    /** An UPDATE with these path attributes (hex) and no IPv4 NLRI. */
    private static String update(String attributes) {
        String a = attributes.replace(" ", "");
        int length = 19 + 2 + 2 + a.length() / 2;
        return MARKER + String.format("%04x02", length) + "0000" + String.format("%04x", a.length() / 2) + a;
    }

    private static final String ORIGIN = "400101 00";
    private static final String AS_PATH = "400200";
    private static final String EVPN_MAC_ROUTE = "900e002c 00194604c0000201 00"
            + "0221 0001c00002010002 00000000000000000000 00000000 30 020000000001 00 000077";

    private static void assertError(BgpException e, int code, int subcode) {
        assertThat(e).as("expected a NOTIFICATION").isNotNull();
        assertThat(e.code() + "/" + e.subcode()).as(e.toString()).isEqualTo(code + "/" + subcode);
    }

    @Test
    void aMarkerThatIsNotAllOnesIsConnectionNotSynchronized() {
        assertError(error("fffffffffffffffffffffffffffffffe 0013 04"), 1, 1);
    }

    @Test
    void aKeepaliveWithABodyIsBadMessageLengthWithTheLengthAsData() {
        BgpException e = error(MARKER + "0014 04 00");
        assertError(e, 1, 2);
        assertThat(e.data()).containsExactly(0x00, 0x14);
    }

    @Test
    void aMessageLongerThan4096IsBadMessageLength() {
        assertError(catchThrowableOfType(BgpException.class,
                () -> MessageCodec.frame(HexFormat.of().parseHex(MARKER + "100102"), 0, 19)), 1, 2);
    }

    @Test
    void anUnknownTypeIsBadMessageTypeWithTheType() {
        BgpException e = error(MARKER + "0013 09");
        assertError(e, 1, 3);
        assertThat(e.data()).containsExactly(9);
    }

    @Test
    void versionThreeIsUnsupportedAndTheDataSaysFour() {
        BgpException e = error(MARKER + "001d 01 03 fde8 00b4 c0000201 00");
        assertError(e, 2, 1);
        assertThat(e.data()).containsExactly(0, 4);
    }

    @Test
    void aHoldTimeOfOneSecondIsUnacceptable() {
        assertError(error(MARKER + "001d 01 04 fde8 0001 c0000201 00"), 2, 6);
    }

    @Test
    void aZeroIdentifierIsABadBgpIdentifier() {
        assertError(error(MARKER + "001d 01 04 fde8 00b4 00000000 00"), 2, 3);
    }

    @Test
    void anOptionalParameterOtherThanCapabilitiesIsUnsupported() {
        assertError(error(MARKER + "0021 01 04 fde8 00b4 c0000201 04 01 02 0000"), 2, 4);
    }

    @Test
    void anAttributeRunningPastTheListIsAMalformedAttributeList() {
        assertError(error(update("400105 00")), 3, 1);
        assertError(error(MARKER + "0019 02 0000 0005 4001"), 3, 1);
    }

    @Test
    void anOriginOfTwoBytesIsAnAttributeLengthError() {
        assertError(error(update("400102 0000")), 3, 5);
    }

    @Test
    void anOriginOfFiveIsInvalidWithTheAttributeAsData() {
        BgpException e = error(update("400101 05"));
        assertError(e, 3, 6);
        assertThat(HexFormat.of().formatHex(e.data())).isEqualTo("40010105");
    }

    @Test
    void anOriginMarkedOptionalIsAnAttributeFlagsError() {
        assertError(error(update("c00101 00")), 3, 4);
    }

    @Test
    void anUnknownWellKnownAttributeIsUnrecognized() {
        assertError(error(update("406302 abcd")), 3, 2);
    }

    @Test
    void anUnknownOptionalAttributeIsCarried() {
        Update u = (Update) CODEC.decode(HexFormat.of().parseHex(update(ORIGIN + AS_PATH + "c06302 abcd").replace(" ", "")));
        assertThat(u.attributes().others()).singleElement().satisfies(a -> assertThat(a.typeCode()).isEqualTo(0x63));
    }

    /** Found by MessageCodecFuzzTest: read with a one-byte length, written (extended) and read again, it differed. */
    @Test
    void anUnknownAttributeReadsTheSameWhicheverLengthFormItWasWrittenIn() {
        Update shortForm = (Update) CODEC.decode(HexFormat.of().parseHex(update(ORIGIN + AS_PATH + "c0ec02 abcd")));
        Update longForm = (Update) CODEC.decode(HexFormat.of().parseHex(update(ORIGIN + AS_PATH + "d0ec0002 abcd")));
        assertThat(longForm).isEqualTo(shortForm);
        assertThat(CODEC.decode(CODEC.encode(shortForm))).isEqualTo(shortForm);
    }

    /** Found by MessageCodecFuzzTest: writing an UPDATE read with another family's MP_REACH_NLRI threw a NullPointerException. */
    @Test
    void anotherFamilysRoutesAreCountedWhenReadAndRefusedWhenWritten() {
        Update ipv4 = (Update) CODEC.decode(HexFormat.of().parseHex(update(ORIGIN + AS_PATH
            + "900e0011 000101 04c0000201 00 18c63364 18c63365")));
        assertThat(ipv4.attributes().mpReach().otherFamilyBytes()).isEqualTo(8);
        assertThatThrownBy(() -> CODEC.encode(ipv4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("only L2VPN EVPN routes are kept");
    }

    @Test
    void aSecondOriginIsAMalformedAttributeList() {
        assertError(error(update(ORIGIN + ORIGIN)), 3, 1);
    }

    @Test
    void anAsPathSegmentOfTypeSevenIsAMalformedAsPath() {
        assertError(error(update(ORIGIN + "400206 0701 0000fde8")), 3, 11);
    }

    @Test
    void anAsPathWhoseCountOverrunsItIsAMalformedAsPath() {
        assertError(error(update(ORIGIN + "400206 0202 0000fde8")), 3, 11);
    }

    @Test
    void anEvpnMacOfFortySevenBitsIsAnOptionalAttributeError() {
        String broken = EVPN_MAC_ROUTE.replace("30 0200", "2f 0200");
        assertError(error(update(broken + ORIGIN + AS_PATH)), 3, 9);
    }

    @Test
    void anEvpnRouteWithoutOriginLacksAWellKnownAttribute() {
        BgpException e = error(update(EVPN_MAC_ROUTE + AS_PATH));
        assertError(e, 3, 3);
        assertThat(e.data()).containsExactly(1);
    }

    @Test
    void aWithdrawnLengthBeyondTheMessageIsAMalformedAttributeList() {
        assertError(error(MARKER + "0017 02 00ff 0000"), 3, 1);
    }

    @Test
    void aRouteRefreshOfTheWrongLengthIsItsOwnError() {
        assertError(error(MARKER + "0018 05 0019 00 46 00"), 7, 1);
    }

    @Test
    void theEvpnMacRouteThoseTestsBreakIsItselfValid() {
        Update u = (Update) CODEC.decode(HexFormat.of().parseHex(update(EVPN_MAC_ROUTE + ORIGIN + AS_PATH).replace(" ", "")));
        assertThat(u.attributes().mpReach().routes()).hasSize(1);
    }
}
