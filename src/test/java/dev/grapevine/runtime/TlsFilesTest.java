package dev.grapevine.runtime;

import dev.grapevine.ops.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TlsFilesTest {

    @Test
    void aNodeCertificateIsReadWithItsNameAndACaBundleDuringAChangeOfCa(@TempDir Path dir) throws Exception {
        DevCertificates.writeCa(dir.resolve("old"), "old CA", false);
        DevCertificates.writeCa(dir.resolve("new"), "new CA", false);
        DevCertificates.writeNode(dir.resolve("new"), "n1", List.of(), dir.resolve("n1"), false);
        assertEquals("n1", TlsFiles.read(dir.resolve("n1")).nodeName());

        Files.writeString(dir.resolve("n1/ca.pem"), Files.readString(dir.resolve("old/ca.pem"))
                + Files.readString(dir.resolve("new/ca.pem")));
        TlsFiles both = TlsFiles.read(dir.resolve("n1"));
        assertEquals(2, both.cas().size());

        Files.copy(dir.resolve("old/ca.pem"), dir.resolve("n1/ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TlsFiles.Problem p = assertThrows(TlsFiles.Problem.class, () -> TlsFiles.read(dir.resolve("n1")));
        assertEquals(dir.resolve("n1/node.pem") + " is not signed by the CA in " + dir.resolve("n1/ca.pem"), p.getMessage());
    }

    @Test
    void aKeyOfAnotherPairIsNamed(@TempDir Path dir) throws IOException {
        DevCertificates.writeCa(dir.resolve("ca"), "CA", false);
        DevCertificates.writeNode(dir.resolve("ca"), "n1", List.of(), dir.resolve("n1"), false);
        DevCertificates.writeNode(dir.resolve("ca"), "n2", List.of(), dir.resolve("n2"), false);
        Files.copy(dir.resolve("n2/node-key.pem"), dir.resolve("n1/node-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TlsFiles.Problem p = assertThrows(TlsFiles.Problem.class, () -> TlsFiles.read(dir.resolve("n1")));
        assertEquals(dir.resolve("n1/node-key.pem") + " is not the key of the certificate in " + dir.resolve("n1/node.pem"),
                p.getMessage());
    }
}
