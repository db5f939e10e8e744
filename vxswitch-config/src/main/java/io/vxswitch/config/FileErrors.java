package io.vxswitch.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file could not be read or written, in the user's words. {@code java.nio} exceptions often carry nothing but
 * the path as their message ({@code NoSuchFileException: /x/y}), so printing the message says nothing and printing
 * the exception names a Java class: the reason comes from the exception's kind instead.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** What went wrong, e.g. {@code no such file or directory}; never the path itself, never a class name. */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "something of that name is already there";
            case NotDirectoryException x -> "not a directory";
            case FileSystemException x when x.getReason() != null -> lowerFirst(x.getReason());
            case FileNotFoundException x when x.getMessage() != null && x.getMessage().endsWith(")")
                && x.getMessage().contains(" (") -> // "PATH (No such file or directory)", as FileOutputStream says
                lowerFirst(x.getMessage().substring(x.getMessage().lastIndexOf(" (") + 2, x.getMessage().length() - 1));
            default -> e.getMessage() != null ? lowerFirst(e.getMessage()) : "input/output error"; // errno text
        };
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
