package io.uplift.dbmove;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an export's SQL file. pg_dump writes it in the source database's encoding and says
 * which in a {@code SET client_encoding} line; psql would switch to it, a JDBC session stays UTF-8,
 * so the file is decoded here (strictly: a byte that is not of that encoding refuses the file) and
 * the server converts from UTF-8 to the target's encoding.
 */
final class ScriptEncoding {
    private static final Pattern SET = Pattern.compile("(?im)^SET client_encoding = '([A-Za-z0-9_]+)';");

    /** The file names an encoding this import cannot read, or holds bytes that are not of it. */
    static final class Unsupported extends IllegalArgumentException {
        Unsupported(String message) {
            super(message);
        }
    }

    private ScriptEncoding() {}

    static String decode(byte[] bytes) {
        Matcher m = SET.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        String name = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "UTF8";
        Charset charset = switch (name) {
            // SQL_ASCII stores bytes as they come: read as UTF-8 they reach the server unchanged
            case "UTF8", "UNICODE", "SQL_ASCII" -> StandardCharsets.UTF_8;
            case "LATIN1" -> StandardCharsets.ISO_8859_1;
            case "LATIN2" -> Charset.forName("ISO-8859-2");
            case "LATIN9" -> Charset.forName("ISO-8859-15");
            case "WIN1250", "WIN1251", "WIN1252", "WIN1253", "WIN1254", "WIN1255", "WIN1256", "WIN1257", "WIN1258" ->
                    Charset.forName("windows-" + name.substring(3));
            case "KOI8R" -> Charset.forName("KOI8-R");
            case "EUC_JP" -> Charset.forName("EUC-JP");
            case "SJIS" -> Charset.forName("Shift_JIS");
            case "GBK" -> Charset.forName("GBK");
            case "BIG5" -> Charset.forName("Big5");
            default -> throw new Unsupported("its SET client_encoding names " + name + ", which 'uplift db import' does not read");
        };
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Unsupported("it holds bytes that are not " + name + " text, the encoding it names");
        }
    }
}
