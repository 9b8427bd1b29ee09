using System.Text;
using Ndhm.Core.Errors;
using Ndhm.Phr;
using Ndhm.Phr.Documents;

namespace Ndhm.UnitTests.Phr;

public sealed class DocumentSniffingTests
{
    [Theory]
    [InlineData("%PDF-1.7\n", "PDF")]
    [InlineData("\u0089PNG\r\n\u001a\n....", "PNG")]
    [InlineData("\u00ff\u00d8\u00ff\u00e0JFIF", "JPEG")]
    public void GivenAnAllowedType_WhenSniffed_ThenItIsKnownByItsMagicBytes(string header, string expected)
    {
        var result = DocumentSniffer.Sniff(Encoding.Latin1.GetBytes(header));

        Assert.Equal(expected, result.Type?.Name);
        Assert.Null(result.Refusal);
    }

    [Theory]
    [InlineData("MZ\u0090\u0000\u0003", "PE")]
    [InlineData("\u007fELF\u0002\u0001", "ELF")]
    [InlineData("#!/bin/sh\nrm -rf /", "script")]
    [InlineData("PK\u0003\u0004....", "archive")]
    [InlineData("  \n<!DOCTYPE html><html>", "markup")]
    [InlineData("\u00ef\u00bb\u00bf<svg onload=alert(1)>", "markup")]
    [InlineData("<?xml version=\"1.0\"?>", "markup")]
    public void GivenExecutableOrActiveContent_WhenSniffed_ThenItIsRefused_WhateverItIsCalled(string header, string what)
    {
        var result = DocumentSniffer.Sniff(Encoding.Latin1.GetBytes(header));

        Assert.Null(result.Type);
        Assert.NotNull(result.Refusal);
        Assert.Contains(what, result.Refusal + result.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenPlainText_WhenSniffed_ThenItIsNeitherAllowedNorRefused()
    {
        var result = DocumentSniffer.Sniff("Just some notes"u8);

        Assert.Equal((null, null), (result.Type, result.Refusal));
    }

    [Theory]
    [InlineData("<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "JavaScript")]
    [InlineData("<< /AA << /O << /S /Launch /F (cmd.exe) >> >> >>", "Launch")]
    [InlineData("<< /S /J#61vaScript >>", "JavaScript")]
    [InlineData("<< /Names << /EmbeddedFiles 5 0 R >> >>", "EmbeddedFiles")]
    public void GivenAPdfWithActiveContent_WhenScanned_ThenItIsRefused(string dictionary, string name)
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n" + dictionary + "\nendobj\n%%EOF\n");

        var refused = Assert.Throws<DomainException>(() => Scan(DocumentType.Pdf, pdf, chunk: 7));

        Assert.Equal(PhrErrors.DocumentRefused, refused.Code);
        Assert.Contains(name, refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAPdfWhoseStreamDataLooksLikeAnActionName_WhenScanned_ThenItIsAccepted_StreamsAreNotDictionaries()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n4 0 obj\n<< /Length 20 >>\nstream\nBT /JS 12 Tf ET\nendstream\nendobj\n" +
                                          "5 0 obj\n<< /Type /Page /JSx 1 >>\nendobj\n%%EOF\n");

        Scan(DocumentType.Pdf, pdf, chunk: 5);
    }

    [Theory]
    [InlineData("<html><script>alert(document.cookie)</script></html>")]
    [InlineData("<SCRIPT src=//evil.example/x.js></SCRIPT>")]
    [InlineData("PK\u0003\u0004payload.exe")]
    public void GivenAPolyglot_WhenScannedInSmallChunks_ThenTheHiddenContentIsFoundAcrossChunkBoundaries(string hidden)
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x40 }.Concat(Encoding.Latin1.GetBytes(hidden)).Concat(new byte[] { 0xFF, 0xD9 }).ToArray();

        var refused = Assert.Throws<DomainException>(() => Scan(DocumentType.Jpeg, jpeg, chunk: 3));

        Assert.Equal(PhrErrors.DocumentRefused, refused.Code);
    }

    [Fact]
    public async Task GivenAnUploadPastTheLimit_WhenRead_ThenItStopsAtTheLimit_WithDocumentTooLarge()
    {
        var content = new byte[5000];
        PhrRig.MinimalPdf.CopyTo(content, 0);
        await using var upload = new InspectedUpload(content.AsMemory(0, 8), new MemoryStream(content, 8, content.Length - 8), DocumentType.Pdf, 4096);

        var refused = await Assert.ThrowsAsync<DomainException>(() => upload.CopyToAsync(Stream.Null));

        Assert.Equal((ErrorKind.PayloadTooLarge, PhrErrors.DocumentTooLarge), (refused.Kind, refused.Code));
        Assert.True(upload.BytesRead <= 4096 + 81920);
    }

    [Fact]
    public async Task GivenAnUpload_WhenReadToTheEnd_ThenItsDigestAndLengthAreThoseOfTheWholeContent()
    {
        await using var upload = new InspectedUpload(PhrRig.MinimalPdf.AsMemory(0, 10), new MemoryStream(PhrRig.MinimalPdf[10..]), DocumentType.Pdf, 4096);
        var copy = new MemoryStream();

        await upload.CopyToAsync(copy);

        Assert.Equal(PhrRig.MinimalPdf, copy.ToArray());
        Assert.Equal(PhrRig.MinimalPdf.Length, upload.BytesRead);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(PhrRig.MinimalPdf)), upload.Sha256);
    }

    private static void Scan(DocumentType type, byte[] content, int chunk)
    {
        var scanner = new DocumentContentScanner(type);
        for (var offset = 0; offset < content.Length; offset += chunk)
            scanner.Inspect(content.AsSpan(offset, Math.Min(chunk, content.Length - offset)));
        scanner.Complete();
    }
}
